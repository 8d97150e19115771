package io.aard.ingest;

import io.aard.Failures;
import io.aard.pricing.PriceTable;
import io.aard.tracing.ExportPipelines;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code database} span exporter: converts each finished span to a row of {@code
 * execution_traces} and hands it to a bounded buffer that writer threads drain into PostgreSQL.
 *
 * <p>{@link #export} never blocks and never throws: it only converts and enqueues. While the
 * database is unreachable the writers retry with backoff and the buffer keeps the newest {@code
 * capacity} spans, dropping (and counting) the oldest. The SDK may create this exporter before the
 * application has started; spans buffer until the writer attaches. A span is converted, and priced,
 * when it is exported or received; spans exported before the writer attached have no cost.
 *
 * <p>One instance serves the application, because the SDK and the CDI writer meet through it.
 */
public final class DatabaseSpanExporter implements SpanExporter {

  private static final Logger LOG = Logger.getLogger(DatabaseSpanExporter.class.getName());

  /**
   * Rows per insert statement, each batch one statement and one commit. Chosen with the ingest
   * benchmark: batches of 500 and one writer reached 0.79 of COPY, 1,000 and two writers 1.18.
   */
  public static final int DEFAULT_BATCH_SIZE = 1000;

  /**
   * How long pending spans are waited for: by each {@link #flush}, and by the writer threads once
   * the application stops. One number, so that both give up at the same point.
   */
  static final int DRAIN_SECONDS = 10;

  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final long IDLE_WAIT_MILLIS = 200;

  /** Its name in {@code otel.traces.exporter}. */
  private static final String DATABASE = "database";

  private static final AtomicReference<DatabaseSpanExporter> INSTANCE = new AtomicReference<>();

  private final SpanBuffer buffer;
  private final int batchSize;
  private volatile SpanRows rows = new SpanRows(Map.of());
  private volatile SpanInserter sink;
  private volatile SpanInserter shutdownSink;
  private final AtomicLong exported = new AtomicLong();
  private final AtomicLong retried = new AtomicLong();
  private final AtomicLong lost = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicBoolean warnedDrop = new AtomicBoolean();
  private final AtomicBoolean shutdown = new AtomicBoolean();
  private final AtomicBoolean writing = new AtomicBoolean();
  private volatile String lastError;

  DatabaseSpanExporter(int capacity, int batchSize) {
    this.buffer = new SpanBuffer(capacity);
    this.batchSize = batchSize;
  }

  /** The application's exporter, created on first use with the given settings. */
  static DatabaseSpanExporter instance(int capacity, int batchSize) {
    DatabaseSpanExporter current = INSTANCE.get();
    if (current == null) {
      INSTANCE.compareAndSet(null, new DatabaseSpanExporter(capacity, batchSize));
      current = INSTANCE.get();
    }
    return current;
  }

  /** The application's exporter, or {@code null} when the SDK has not created one. */
  static DatabaseSpanExporter current() {
    return INSTANCE.get();
  }

  /** As the four-argument {@code attach}, with no prices: no span gets a cost. */
  void attach(SpanInserter sink, SpanInserter shutdownSink, Map<String, UUID> toolIdsByName) {
    attach(sink, shutdownSink, toolIdsByName, () -> PriceTable.EMPTY);
  }

  /**
   * Connects the writer's sink, the tool registry's ids and the price table that spans are priced
   * with from now on. Until then spans wait in the buffer.
   */
  void attach(
      SpanInserter sink,
      SpanInserter shutdownSink,
      Map<String, UUID> toolIdsByName,
      Supplier<PriceTable> prices) {
    this.rows = new SpanRows(toolIdsByName, prices);
    this.shutdownSink = shutdownSink;
    this.sink = sink;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    try {
      SpanRows converter = rows;
      List<SpanRow> batch = new ArrayList<>(spans.size());
      for (SpanData span : spans) {
        batch.add(converter.row(span));
      }
      int dropped = buffer.offer(batch);
      if (dropped > 0 && warnedDrop.compareAndSet(false, true)) {
        LOG.warning(
            "The database span exporter dropped its oldest spans: more than "
                + buffer.capacity()
                + " are waiting (TRACING_EXPORTER_BUFFER_SPANS); last error: "
                + lastError);
      }
      return CompletableResultCode.ofSuccess();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "The database span exporter could not convert spans", e);
      lost.addAndGet(spans.size());
      return CompletableResultCode.ofFailure();
    }
  }

  /** What {@link #admit} did with spans received from other processes. */
  enum Admission {
    /** Buffered: the writers store them as they store AARD's own. */
    ACCEPTED,
    /** The buffer is nearly full: the sender should retry later (429). */
    BUSY,
    /** The database is unreachable or the writer not yet started: retry later (503). */
    UNAVAILABLE,
    /** More spans than the buffer would ever admit at once: the sender must split them (413). */
    TOO_MANY,
    /** The spans could not be converted to rows (400). */
    INVALID
  }

  /**
   * Buffers spans received by OTLP, unless that would crowd out AARD's own or could only be done by
   * dropping spans: unlike {@link #export}, which must never refuse, this refuses instead, so that
   * the sender keeps the spans and retries them later (backpressure, not loss). Received spans may
   * fill at most three quarters of the buffer; the rest stays for AARD's own.
   */
  Admission admit(Collection<SpanData> spans) {
    long room = buffer.capacity() * 3L / 4;
    if (spans.size() > room) {
      return Admission.TOO_MANY;
    }
    if (sink == null || lastError != null) {
      return Admission.UNAVAILABLE;
    }
    if (pending() + spans.size() > room) {
      return Admission.BUSY;
    }
    List<SpanRow> batch = new ArrayList<>(spans.size());
    try {
      SpanRows converter = rows;
      for (SpanData span : spans) {
        batch.add(converter.row(span, true));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "The database span exporter could not convert received spans", e);
      return Admission.INVALID;
    }
    // Checked again under the lock of admissions, so that concurrent senders cannot overshoot.
    synchronized (this) {
      if (pending() + batch.size() > room) {
        return Admission.BUSY;
      }
      buffer.offer(batch);
    }
    return Admission.ACCEPTED;
  }

  /**
   * Writes one batch from the buffer, retrying it with backoff until it is written or {@code
   * giveUpAt} (nanoTime, read before each retry, so that a shutdown can set it) passes. Called by
   * the writer threads, concurrently: each takes its own batch.
   *
   * @return false when the buffer had nothing within a short wait
   */
  boolean writeNextBatch(LongSupplier giveUpAt) throws InterruptedException {
    SpanInserter target = sink;
    if (target == null) {
      TimeUnit.MILLISECONDS.sleep(IDLE_WAIT_MILLIS);
      return false;
    }
    List<SpanRow> batch = buffer.take(batchSize, IDLE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
    if (batch.isEmpty()) {
      return false;
    }
    inFlight.addAndGet(batch.size());
    boolean done = false;
    try {
      Duration backoff = FIRST_BACKOFF;
      while (true) {
        try {
          target.write(batch);
          done = true;
          exported.addAndGet(batch.size());
          if (lastError != null) {
            LOG.info("The database span exporter writes again after: " + lastError);
            lastError = null;
            // A later outage that drops spans says so again.
            warnedDrop.set(false);
          }
          return true;
        } catch (RuntimeException e) {
          String message = Failures.rootMessage(e);
          if (lastError == null) {
            LOG.warning(
                "The database span exporter cannot write, retrying with backoff: " + message);
          }
          lastError = message;
          if (System.nanoTime() + backoff.toNanos() > giveUpAt.getAsLong()) {
            done = true;
            lost.addAndGet(batch.size());
            LOG.severe("The database span exporter gave up " + batch.size() + " spans: " + message);
            return true;
          }
          retried.incrementAndGet();
          TimeUnit.NANOSECONDS.sleep(backoff.toNanos());
          backoff =
              backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                  ? MAX_BACKOFF
                  : backoff.multipliedBy(2);
        }
      }
    } finally {
      if (!done) {
        // Interrupted (the application is stopping): the batch is not lost, the shutdown flush
        // writes it. Put back before inFlight drops, so that pending() never undercounts.
        buffer.putBack(batch);
      }
      inFlight.addAndGet(-batch.size());
    }
  }

  /** Spans waiting, in the buffer and in the batches being written. */
  long pending() {
    return buffer.size() + inFlight.get();
  }

  /**
   * A snapshot of the counters. {@code dropped} includes the spans that the SDK's batch processor
   * in front of this exporter dropped from its full queue: they never reached {@link #export}.
   */
  public ExporterStats stats() {
    return new ExporterStats(
        exported.get(),
        retried.get(),
        buffer.dropped() + lost.get() + ExportPipelines.droppedFromQueue(DATABASE),
        pending(),
        buffer.capacity(),
        lastError,
        sink != null);
  }

  /**
   * Waits until every pending span is written, up to a deadline; never throws. Once the
   * application's writer has stopped, it writes them itself, on the caller's thread.
   */
  @Override
  public CompletableResultCode flush() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
    try {
      while (pending() > 0 && System.nanoTime() < deadline) {
        if (sink == null && shutdownSink != null) {
          sink = shutdownSink;
          writing.set(false);
        }
        if (sink == null) {
          break;
        }
        if (writing.get()) {
          buffer.wake();
          TimeUnit.MILLISECONDS.sleep(20);
        } else {
          writeNextBatch(() -> deadline);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "The database span exporter could not flush", e);
    }
    return pending() == 0 ? CompletableResultCode.ofSuccess() : CompletableResultCode.ofFailure();
  }

  /** Flushes what is pending; idempotent. */
  @Override
  public CompletableResultCode shutdown() {
    if (!shutdown.compareAndSet(false, true)) {
      return CompletableResultCode.ofSuccess();
    }
    return flush();
  }

  /**
   * The writer thread stopped: spans that arrive from now on (the SDK's last export) are written by
   * {@link #flush} through the shutdown sink.
   */
  void detach() {
    writing.set(false);
    sink = null;
  }

  /** The writer thread is running and drains the buffer. */
  void writerStarted() {
    writing.set(true);
  }

  @Override
  public String toString() {
    return "DatabaseSpanExporter{" + stats() + "}";
  }
}
