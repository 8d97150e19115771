package io.aard.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aard.testing.Deployments;
import io.aard.testing.SpanTable;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

/**
 * OTLP ingest benchmark: spans per second that AARD stores when several OTLP/HTTP clients send
 * batches of {@value #BATCH} protobuf spans to {@code POST /v1/traces}, against PostgreSQL {@code
 * COPY} of the same rows (converted by the receiver's own code) in the same run, alternating,
 * medians of {@code aard.bench.rounds} runs; with the share of 429/503 answers. A refused batch is
 * resent after {@value #RETRY_MILLIS} ms (an SDK waits longer: this measures the store, not the
 * client's pause). Timed from the first request to the last row in the table.
 *
 * <p>Run by {@code bench/run.sh otlp}; fails only when rows go missing or differ.
 */
@ExtendWith(ArquillianExtension.class)
class OtlpIngestBench {

  private static final int SPANS = Integer.getInteger("aard.bench.spans", 300_000);
  private static final int ROUNDS = Integer.getInteger("aard.bench.rounds", 3);
  private static final int CLIENTS = Integer.getInteger("aard.bench.clients", 4);
  private static final long SEED = Long.getLong("aard.bench.seed", 42L);
  private static final int BATCH = 512;
  private static final long RETRY_MILLIS = 50;
  private static final double TARGET = 0.7;
  private static final String COLUMNS =
      "trace_id, span_id, parent_span_id, operation_name, service_name, span_kind, start_time,"
          + " end_time, duration_ms, status, status_message, task_id, plan_id, agent_id, tool_id,"
          + " input_tokens, output_tokens, attributes, events, resource, model, session_id,"
          + " cost_usd";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();

  @Test
  void otlpAgainstCopy() throws Exception {
    long base = Instant.now().minus(Duration.ofHours(2)).toEpochMilli();
    String cutoff = "'" + Instant.ofEpochMilli(base).plus(Duration.ofHours(1)) + "'";
    IngestBench.createCopyTable();
    List<byte[]> bodies = bodies(base);
    byte[] csv = csv(bodies);

    List<Double> otlpSeconds = new ArrayList<>();
    List<Double> copySeconds = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      if (round % 2 == 0) {
        otlpSeconds.add(otlpRun(bodies, cutoff));
        copySeconds.add(copyRun(csv));
      } else {
        copySeconds.add(copyRun(csv));
        otlpSeconds.add(otlpRun(bodies, cutoff));
      }
      System.out.printf(
          "ingest round %d: OTLP %.2f s, COPY %.2f s%n",
          round + 1, otlpSeconds.get(round), copySeconds.get(round));
    }
    long[] stored = IngestBench.checksum("execution_traces", cutoff);
    long[] copied = IngestBench.checksum("bench_copy", cutoff);
    assertEquals(SPANS, copied[0], "rows copied");
    assertEquals(SPANS, stored[0], "rows stored through OTLP");
    assertEquals(copied[1], stored[1], "the two tables hold the same rows");

    double otlp = IngestBench.median(otlpSeconds);
    double copy = IngestBench.median(copySeconds);
    double ratio = copy / otlp;
    String table =
        String.join(
            "\n",
            "## OTLP ingest: "
                + SPANS
                + " spans, "
                + CLIENTS
                + " clients, batches of "
                + BATCH
                + ", median of "
                + ROUNDS
                + " alternating runs",
            "",
            "| path | rows | seconds | rows/s | of COPY |",
            "|---|---:|---:|---:|---:|",
            String.format(
                "| PostgreSQL COPY (pgjdbc CopyManager, CSV) | %,d | %.2f | %,.0f | 1.00 |",
                SPANS, copy, SPANS / copy),
            String.format(
                "| POST /v1/traces (protobuf → sanitizer → buffer → writer) | %,d | %.2f | %,.0f |"
                    + " %.2f |",
                SPANS, otlp, SPANS / otlp, ratio),
            "",
            String.format(
                "Target: OTLP ≥ %.2f of COPY — %s (%.2f). 429/503 answers: %d of %d requests"
                    + " (%.1f %%), each batch resent until stored; no span lost. Runs (s): OTLP %s,"
                    + " COPY %s",
                TARGET,
                ratio >= TARGET ? "MET" : "MISSED",
                ratio,
                refused.get(),
                requests.get(),
                100.0 * refused.get() / Math.max(1, requests.get()),
                otlpSeconds,
                copySeconds),
            "");
    System.out.println(table);
    Path out = Path.of(System.getProperty("aard.bench.out", "target/bench"));
    Files.createDirectories(out);
    Files.writeString(out.resolve("otlp.md"), table);
  }

  /**
   * The generated spans as protobuf export requests of {@value #BATCH} spans, made before timing.
   */
  private static List<byte[]> bodies(long base) {
    List<byte[]> bodies = new ArrayList<>();
    List<SpanData> batch = new ArrayList<>(BATCH);
    BenchSpans.traces(
        SEED,
        SPANS,
        base,
        trace -> {
          for (SpanData span : trace) {
            batch.add(span);
            if (batch.size() == BATCH) {
              bodies.add(encode(batch));
              batch.clear();
            }
          }
        });
    if (!batch.isEmpty()) {
      bodies.add(encode(batch));
    }
    return bodies;
  }

  private static byte[] encode(List<SpanData> spans) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      TraceRequestMarshaler.create(spans).writeBinaryTo(out);
      return out.toByteArray();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The rows the receiver makes of the same requests, as CSV for COPY. */
  private static byte[] csv(List<byte[]> bodies) throws Exception {
    SpanRows converter = new SpanRows(Map.of(), () -> BenchSpans.PRICES);
    ByteArrayOutputStream out = new ByteArrayOutputStream(SPANS * 1100);
    StringBuilder line = new StringBuilder(2048);
    for (byte[] body : bodies) {
      var converted =
          OtlpSpans.convert(
              ExportTraceServiceRequest.parseFrom(body),
              System.currentTimeMillis() * 1_000_000L,
              0);
      for (SpanData span : converted.spans()) {
        line.setLength(0);
        String[] values = converter.row(span, true).values();
        for (int i = 0; i < values.length; i++) {
          if (i > 0) {
            line.append(',');
          }
          if (values[i] != null) {
            line.append('"').append(values[i].replace("\"", "\"\"")).append('"');
          }
        }
        line.append('\n');
        out.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toByteArray();
  }

  /** Sends every body from {@link #CLIENTS} clients; returns seconds until every row is stored. */
  private double otlpRun(List<byte[]> bodies, String cutoff) throws Exception {
    IngestBench.prepare("execution_traces");
    URI uri =
        URI.create(
            "http://127.0.0.1:" + System.getProperty("aard.it.http.port", "9180") + "/v1/traces");
    ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>(bodies);
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    long start = System.nanoTime();
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      done.add(
          clients.submit(
              () -> {
                byte[] body;
                while ((body = queue.poll()) != null) {
                  send(uri, body);
                }
                return null;
              }));
    }
    for (Future<?> client : done) {
      client.get(10, TimeUnit.MINUTES);
    }
    clients.shutdown();
    try (Connection c = SpanTable.connect();
        Statement s = c.createStatement()) {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (true) {
        try (ResultSet rs =
            s.executeQuery("SELECT count(*) FROM execution_traces WHERE start_time < " + cutoff)) {
          rs.next();
          if (rs.getLong(1) >= SPANS || System.nanoTime() > deadline) {
            break;
          }
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
      }
    }
    return (System.nanoTime() - start) / 1e9;
  }

  private void send(URI uri, byte[] body) throws Exception {
    while (true) {
      requests.incrementAndGet();
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(Duration.ofMinutes(1))
                  .header("Content-Type", "application/x-protobuf")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() == 200) {
        return;
      }
      if (response.statusCode() != 429 && response.statusCode() != 503) {
        throw new AssertionError("POST /v1/traces answered " + response.statusCode());
      }
      refused.incrementAndGet();
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS));
    }
  }

  private double copyRun(byte[] csv) throws Exception {
    IngestBench.prepare("bench_copy");
    try (Connection c = SpanTable.connect()) {
      long start = System.nanoTime();
      long rows =
          c.unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn(
                  "COPY bench_copy (" + COLUMNS + ") FROM STDIN WITH (FORMAT csv)",
                  new ByteArrayInputStream(csv));
      long nanos = System.nanoTime() - start;
      assertEquals(SPANS, rows, "rows copied");
      return nanos / 1e9;
    }
  }
}
