package io.aard.ingest;

import io.aard.Settings;
import io.aard.pricing.Prices;
import io.aard.registry.AgentDirectory;
import io.aard.registry.RegisteredTool;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Drains the {@code database} exporter's buffer into PostgreSQL on managed threads of its own, so
 * that no request thread and no SDK thread ever waits for the database. Started with the
 * application when {@code TRACING_EXPORTER} holds {@code database}; on shutdown it writes what is
 * pending, for up to {@link DatabaseSpanExporter#DRAIN_SECONDS} seconds.
 */
@ApplicationScoped
public class SpanWriter {

  private static final Logger LOG = Logger.getLogger(SpanWriter.class.getName());

  /**
   * Writer threads, each with its own batch, statement and transaction: while one builds and binds
   * its batch, the other's is in PostgreSQL (ingest benchmark: one writer with batches of 500
   * reached 0.79 of COPY, two with batches of 1,000 1.18).
   */
  static final int WRITERS = 2;

  @Resource ManagedThreadFactory threadFactory;

  @Resource(lookup = "jdbc/aard")
  DataSource dataSource;

  @Inject JpaSpanInserter store;
  @Inject AgentDirectory directory;
  @Inject Prices prices;

  private volatile DatabaseSpanExporter exporter;
  private volatile boolean stopping;
  private volatile long giveUpAt = Long.MAX_VALUE;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicInteger running = new AtomicInteger();

  void start(@Observes @Priority(3000) @Initialized(ApplicationScoped.class) Object ignored) {
    // The SDK's own view: otel.* set directly wins over the TRACING_* keys they come from.
    Function<String, String> config = Settings.lookup();
    boolean disabled = Boolean.parseBoolean(config.apply("otel.sdk.disabled"));
    String sdkExporters = Objects.requireNonNullElse(config.apply("otel.traces.exporter"), "");
    if (disabled
        || Arrays.stream(sdkExporters.split(","))
            .map(String::trim)
            .noneMatch(DatabaseSpanExporterProvider.NAME::equals)) {
      return;
    }
    exporter = DatabaseSpanExporterProvider.instance(config);
    Map<String, UUID> toolIds =
        directory.tools().stream()
            .collect(Collectors.toMap(RegisteredTool::name, RegisteredTool::id));
    exporter.attach(store, new JdbcSpanInserter(dataSource), toolIds, prices.source());
    exporter.writerStarted();
    for (int i = 0; i < WRITERS; i++) {
      Thread thread = threadFactory.newThread(this::run);
      thread.setName("aard-span-writer-" + (i + 1));
      threads.add(thread);
      running.incrementAndGet();
      thread.start();
    }
    LOG.info(
        "Spans are written to execution_traces (buffer of "
            + exporter.stats().capacity()
            + " spans while PostgreSQL is unreachable)");
  }

  /** The exporter's counters, or {@code null} when spans do not go to the database. */
  public ExporterStats stats() {
    DatabaseSpanExporter current = exporter;
    return current == null ? null : current.stats();
  }

  private void run() {
    DatabaseSpanExporter current = exporter;
    try {
      // The deadline is read at each retry: stop() sets it while a writer retries an outage.
      loop(
          () -> current.writeNextBatch(() -> giveUpAt),
          () -> !stopping || (current.pending() > 0 && System.nanoTime() < giveUpAt));
    } catch (InterruptedException e) {
      // Liberty interrupts the threads of a ManagedThreadFactory when the application stops,
      // possibly before stop() and the SDK's shutdown flush: what is pending is theirs to write.
      LOG.fine("A span writer was interrupted; " + current.pending() + " spans pending");
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "The span writer stopped unexpectedly", e);
    } finally {
      if (running.decrementAndGet() == 0) {
        // No writer left: a flush must write on its own thread, through the shutdown sink.
        current.detach();
      }
    }
  }

  /** One pass of a writer: write the next batch. */
  interface Pass {
    void run() throws InterruptedException;
  }

  /** A pause after a pass that failed, so that a failure that repeats does not spin a core. */
  static final long PAUSE_AFTER_ERROR_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * Runs {@code pass} while {@code more} holds. Any {@link Throwable} but an interrupt (an {@code
   * Error} from a driver, an {@code OutOfMemoryError} of one huge batch, a bug) is logged and the
   * writer carries on: a writer that dies leaves spans unwritten until the server restarts.
   */
  static void loop(Pass pass, java.util.function.BooleanSupplier more) throws InterruptedException {
    while (more.getAsBoolean()) {
      try {
        pass.run();
      } catch (InterruptedException e) {
        throw e;
      } catch (Throwable e) {
        LOG.log(Level.SEVERE, "A span writer met an error and carries on", e);
        java.util.concurrent.locks.LockSupport.parkNanos(PAUSE_AFTER_ERROR_NANOS);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
    }
  }

  @PreDestroy
  void stop() {
    DatabaseSpanExporter current = exporter;
    if (current == null || threads.isEmpty()) {
      return;
    }
    giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(DatabaseSpanExporter.DRAIN_SECONDS);
    stopping = true;
    long joinDeadline = giveUpAt + TimeUnit.SECONDS.toNanos(2);
    try {
      for (Thread thread : threads) {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(joinDeadline - System.nanoTime())));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    current.detach();
    if (current.pending() > 0) {
      // The writers were interrupted or gave up: write the rest here, on a plain connection.
      current.flush();
    }
    ExporterStats stats = current.stats();
    LOG.info(
        "The span writer stopped: "
            + stats.exported()
            + " exported, "
            + stats.pending()
            + " still pending, "
            + stats.dropped()
            + " dropped");
  }
}
