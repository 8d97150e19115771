package io.aard.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aard.testing.Deployments;
import io.aard.testing.SpanTable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.postgresql.PGConnection;

/**
 * Ingest benchmark: spans per second that the {@code database} exporter sustains into {@code
 * execution_traces} on a real Liberty, against PostgreSQL {@code COPY} of the same rows into an
 * identical table, in the same run, alternating, medians of {@code aard.bench.rounds} runs.
 *
 * <p>Not a test of behaviour: run by {@code bench/run.sh ingest} ({@code -Pbench}), never by {@code
 * mvn verify}. It fails only when rows go missing or differ, not on a slow figure.
 */
@ExtendWith(ArquillianExtension.class)
class IngestBench {

  private static final int SPANS = Integer.getInteger("aard.bench.spans", 300_000);
  private static final int ROUNDS = Integer.getInteger("aard.bench.rounds", 3);
  private static final long SEED = Long.getLong("aard.bench.seed", 42L);
  private static final double TARGET = 0.8;
  private static final String COLUMNS =
      "trace_id, span_id, parent_span_id, operation_name, service_name, span_kind, start_time,"
          + " end_time, duration_ms, status, status_message, task_id, plan_id, agent_id, tool_id,"
          + " input_tokens, output_tokens, attributes, events, resource, model, session_id,"
          + " cost_usd";
  private static final String CHECKSUM =
      "SELECT count(*), coalesce(sum(hashtext(trace_id || span_id || coalesce(parent_span_id, '')"
          + " || operation_name || start_time::text || end_time::text || status"
          + " || coalesce(task_id::text, '') || coalesce(tool_id::text, '')"
          + " || coalesce(input_tokens::text, '') || attributes::text || events::text"
          + " || resource::text)::bigint), 0) FROM %s WHERE start_time < %s";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard().addClasses(IngestBenchResource.class, BenchSpans.class);
  }

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void exporterAgainstCopy() throws Exception {
    // Two hours back: every generated span lands in an existing monthly partition, before the
    // benchmark's own request spans.
    long base = Instant.now().minus(Duration.ofHours(2)).toEpochMilli();
    String cutoff = "'" + Instant.ofEpochMilli(base).plus(Duration.ofHours(1)) + "'";
    createCopyTable();
    byte[] csv = csv(base);

    List<Double> exporterSeconds = new ArrayList<>();
    List<Double> copySeconds = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      // Alternate which side goes first, so that drift on a noisy machine evens out.
      if (round % 2 == 0) {
        exporterSeconds.add(exporterRun(base));
        copySeconds.add(copyRun(csv));
      } else {
        copySeconds.add(copyRun(csv));
        exporterSeconds.add(exporterRun(base));
      }
      System.out.printf(
          "ingest round %d: exporter %.2f s, COPY %.2f s%n",
          round + 1, exporterSeconds.get(round), copySeconds.get(round));
    }

    long[] stored = checksum("execution_traces", cutoff);
    long[] copied = checksum("bench_copy", cutoff);
    assertEquals(SPANS, copied[0], "rows copied");
    assertEquals(SPANS, stored[0], "rows the exporter stored");
    assertEquals(copied[1], stored[1], "the two tables hold the same rows");

    double exporter = median(exporterSeconds);
    double copy = median(copySeconds);
    double ratio = copy / exporter;
    List<Double> paired = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      paired.add(copySeconds.get(i) / exporterSeconds.get(i));
    }
    String table =
        String.join(
            "\n",
            "## Ingest: " + SPANS + " spans, median of " + ROUNDS + " alternating runs",
            "",
            "| path | rows | seconds | rows/s | of COPY |",
            "|---|---:|---:|---:|---:|",
            row("PostgreSQL COPY (pgjdbc CopyManager, CSV)", copy, 1.0),
            row("database exporter (export → buffer → writer → JpaSpanInserter)", exporter, ratio),
            "",
            String.format(
                "Target: exporter ≥ %.2f of COPY — %s (%.2f; median of the per-round ratios %.2f)."
                    + " Runs (s): exporter %s, COPY %s",
                TARGET,
                ratio >= TARGET ? "MET" : "MISSED",
                ratio,
                median(paired),
                seconds(exporterSeconds),
                seconds(copySeconds)),
            "");
    System.out.println(table);
    Path out = Path.of(System.getProperty("aard.bench.out", "target/bench"));
    Files.createDirectories(out);
    Files.writeString(out.resolve("ingest.md"), table);
  }

  private static String seconds(List<Double> values) {
    return values.stream().map(v -> String.format("%.2f", v)).toList().toString();
  }

  private static String row(String path, double seconds, double ratio) {
    return String.format(
        "| %s | %,d | %.2f | %,.0f | %.2f |", path, SPANS, seconds, SPANS / seconds, ratio);
  }

  /** Exports the spans through the server's exporter; returns seconds until all are written. */
  private double exporterRun(long base) throws Exception {
    prepare("execution_traces");
    String port = System.getProperty("aard.it.http.port", "9180");
    URI uri =
        URI.create(
            "http://127.0.0.1:"
                + port
                + "/api/bench/ingest?spans="
                + SPANS
                + "&seed="
                + SEED
                + "&base="
                + base);
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMinutes(6))
                // Not sampled: otherwise this request's own server span, exported just after the
                // answer, lands in the next run and counts as one span too many there.
                .header("traceparent", "00-" + "ab".repeat(16) + "-" + "cd".repeat(8) + "-00")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    Map<String, Long> result = numbers(response.body());
    assertEquals(SPANS, result.get("exported"), "exported: " + response.body());
    assertEquals(0L, result.get("dropped"), "dropped: " + response.body());
    return result.get("nanos") / 1e9;
  }

  /** COPY of the same rows from memory; returns seconds. */
  private double copyRun(byte[] csv) throws Exception {
    prepare("bench_copy");
    try (Connection c = SpanTable.connect()) {
      InputStream in = new ByteArrayInputStream(csv);
      long start = System.nanoTime();
      long rows =
          c.unwrap(PGConnection.class)
              .getCopyAPI()
              .copyIn("COPY bench_copy (" + COLUMNS + ") FROM STDIN WITH (FORMAT csv)", in);
      long nanos = System.nanoTime() - start;
      assertEquals(SPANS, rows, "rows copied");
      return nanos / 1e9;
    }
  }

  /** Empties the table and flushes dirty pages, so that no run pays for the previous one. */
  static void prepare(String table) throws SQLException {
    try (Connection c = SpanTable.connect();
        Statement s = c.createStatement()) {
      s.execute("TRUNCATE " + table);
      s.execute("CHECKPOINT");
    }
  }

  /**
   * {@code bench_copy}: the DDL of {@code execution_traces} from its migrations (columns, checks,
   * key, default partition, every index), partitioned the same way, with the same monthly
   * partitions as the live table has now.
   */
  static void createCopyTable() throws IOException, SQLException {
    String migration;
    try (InputStream in =
        IngestBench.class.getResourceAsStream("/db/migration/V2__execution_traces.sql")) {
      migration = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String ddl =
        migration
            .substring(0, migration.indexOf("CREATE FUNCTION"))
            .replace("execution_traces", "bench_copy");
    String textIds;
    try (InputStream in =
        IngestBench.class.getResourceAsStream("/db/migration/V7__text_span_ids.sql")) {
      textIds =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .replace("execution_traces", "bench_copy");
    }
    String genAiColumns;
    try (InputStream in =
        IngestBench.class.getResourceAsStream("/db/migration/V9__cost_model_session.sql")) {
      genAiColumns =
          genAiColumns(new String(in.readAllBytes(), StandardCharsets.UTF_8), "bench_copy");
    }
    try (Connection c = SpanTable.connect();
        Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS bench_copy");
      s.execute(ddl);
      // The id columns as the live table has them since V7, and V9's model, session and cost.
      s.execute(textIds);
      s.execute(genAiColumns);
      List<String[]> partitions = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i"
                  + " JOIN pg_class c ON c.oid = i.inhrelid"
                  + " WHERE i.inhparent = 'execution_traces'::regclass"
                  + " AND c.relname <> 'execution_traces_default'")) {
        while (rs.next()) {
          partitions.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
      for (String[] partition : partitions) {
        s.execute(
            "CREATE TABLE "
                + partition[0].replace("execution_traces", "bench_copy")
                + " PARTITION OF bench_copy "
                + partition[1]);
      }
    }
  }

  /** V9's statement that adds the model, session and cost columns, for {@code table}. */
  static String genAiColumns(String migration, String table) {
    Matcher alter =
        Pattern.compile("(?s)ALTER TABLE execution_traces\\s+ADD COLUMN.*?;").matcher(migration);
    if (!alter.find()) {
      throw new IllegalStateException("V9 no longer adds the columns in one ALTER TABLE");
    }
    return alter.group().replace("execution_traces", table);
  }

  /** The same spans as the server generates, converted by the exporter's own code, as CSV. */
  private static byte[] csv(long base) {
    SpanRows converter = new SpanRows(Map.of(), () -> BenchSpans.PRICES);
    ByteArrayOutputStream out = new ByteArrayOutputStream(SPANS * 1100);
    StringBuilder line = new StringBuilder(2048);
    BenchSpans.traces(
        SEED,
        SPANS,
        base,
        trace -> {
          for (var span : trace) {
            line.setLength(0);
            String[] values = converter.row(span).values();
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
        });
    return out.toByteArray();
  }

  static long[] checksum(String table, String cutoff) throws SQLException {
    try (Connection c = SpanTable.connect();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(String.format(CHECKSUM, table, cutoff))) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2)};
    }
  }

  private static Map<String, Long> numbers(String json) {
    Map<String, Long> values = new java.util.HashMap<>();
    Matcher m = Pattern.compile("\"(\\w+)\":(-?\\d+)").matcher(json);
    while (m.find()) {
      values.put(m.group(1), Long.parseLong(m.group(2)));
    }
    return values;
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
