package io.aard.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The span store's SQL against the real PostgreSQL: the migration that creates {@code
 * execution_traces}, the exporter's insert statement, and the partition functions. Each test works
 * in a schema of its own that it drops afterwards.
 *
 * <p>An integration test because it needs PostgreSQL on 127.0.0.1:5432, which {@code mvn test} must
 * not assume. It deploys nothing: failsafe's builtin execution runs it as a plain JUnit test, with
 * the project directory as working directory (it reads the migration from {@code src/main}).
 */
class JpaSpanInserterDatabaseIT {

  private static final UUID TASK = UUID.fromString("11111111-1111-4111-8111-111111111111");
  private static final UUID CALCULATOR = UUID.fromString("7f1c0e6a-0001-4a00-8000-000000000002");

  private Connection db;
  private String schema;
  private final InMemorySpanExporter finished = InMemorySpanExporter.create();
  private Tracer tracer;

  @BeforeEach
  void createSchema() throws Exception {
    db =
        DriverManager.getConnection(
            io.aard.testing.BuildDatabase.jdbcUrl("postgres"), "postgres", "");
    schema = "span_store_test_" + UUID.randomUUID().toString().replace("-", "");
    try (var s = db.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
      s.execute("SET search_path TO " + schema);
      s.execute(
          Files.readString(Path.of("src/main/resources/db/migration/V2__execution_traces.sql")));
      // The id columns as they are since V7 (text), and V9's model, session and cost columns,
      // which the insert statement is written for.
      s.execute(Files.readString(Path.of("src/main/resources/db/migration/V7__text_span_ids.sql")));
      s.execute(
          IngestBench.genAiColumns(
              Files.readString(
                  Path.of("src/main/resources/db/migration/V9__cost_model_session.sql")),
              "execution_traces"));
    }
    tracer =
        SdkTracerProvider.builder()
            .setResource(Resource.create(Attributes.builder().put("service.name", "aard").build()))
            .addSpanProcessor(SimpleSpanProcessor.create(finished))
            .build()
            .get("test");
  }

  @AfterEach
  void dropSchema() throws SQLException {
    try (var s = db.createStatement()) {
      s.execute("DROP SCHEMA " + schema + " CASCADE");
    }
    db.close();
  }

  @Test
  void retriedBatchLeavesOneRow() throws Exception {
    List<SpanRow> batch = rows(makeTrace());
    insert(batch);
    insert(batch);
    assertEquals(batch.size(), count("SELECT count(*) FROM execution_traces"));
  }

  @Test
  void columnsComeFromTheSpan() throws Exception {
    insert(rows(makeTrace()));
    try (var q =
            db.prepareStatement(
                "SELECT * FROM execution_traces WHERE operation_name = 'execution.execute_step'");
        ResultSet row = q.executeQuery()) {
      assertTrue(row.next());
      assertEquals(TASK.toString(), row.getString("task_id"));
      assertEquals(CALCULATOR.toString(), row.getString("tool_id"), "from gen_ai.tool.name");
      assertEquals("ERROR", row.getString("status"));
      assertEquals("division by zero", row.getString("status_message"));
      assertEquals("INTERNAL", row.getString("span_kind"));
      assertTrue(row.getString("events").contains("\"exception\""), row.getString("events"));
      assertTrue(row.getString("attributes").contains("\"aard.step_index\": 0"));
      assertTrue(row.getString("resource").contains("\"service.name\": \"aard\""));
      assertEquals(12, row.getLong("input_tokens"));
      assertTrue(row.getString("parent_span_id").matches("[0-9a-f]{16}"));
    }
    assertEquals(
        1, count("SELECT count(*) FROM execution_traces WHERE parent_span_id IS NULL"), "root");
  }

  @Test
  void textTheDatabaseWouldRefuseIsCleaned() throws Exception {
    Span span = tracer.spanBuilder("nul\u0000name").setAttribute("k", "a\u0000b\"\\\n").startSpan();
    span.end();
    insert(rows(finished.getFinishedSpanItems()));
    assertEquals(
        1, count("SELECT count(*) FROM execution_traces WHERE attributes->>'k' LIKE 'a%'"));
  }

  @Test
  void spansOutsideThePartitionsLandInTheDefaultOneAndMoveWhenTheirMonthIsCreated()
      throws Exception {
    Span old =
        tracer
            .spanBuilder("from the future")
            .setStartTimestamp(Instant.parse("2031-05-10T10:00:00Z"))
            .startSpan();
    old.end(Instant.parse("2031-05-10T10:00:01Z"));
    insert(rows(finished.getFinishedSpanItems()));
    assertEquals(1, count("SELECT count(*) FROM execution_traces_default"));
    try (var s = db.createStatement()) {
      s.execute("SELECT aard_create_trace_partition('2031-05-01')");
    }
    assertEquals(0, count("SELECT count(*) FROM execution_traces_default"));
    assertEquals(1, count("SELECT count(*) FROM execution_traces_y2031m05"));
  }

  @Test
  void retentionDropsWholeMonthsPastTheLimitAndKeepsTheRest() throws Exception {
    LocalDate thisMonth = LocalDate.now(java.time.ZoneOffset.UTC).withDayOfMonth(1);
    try (var s = db.createStatement()) {
      for (int back = 1; back <= 8; back++) {
        s.execute("SELECT aard_create_trace_partition('" + thisMonth.minusMonths(back) + "')");
      }
    }
    List<String> dropped = new ArrayList<>();
    try (var s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM aard_drop_trace_partitions(6)")) {
      while (r.next()) {
        dropped.add(r.getString(1));
      }
    }
    assertEquals(2, dropped.size(), dropped.toString());
    assertTrue(dropped.contains(partition(thisMonth.minusMonths(8))));
    assertTrue(dropped.contains(partition(thisMonth.minusMonths(7))));
    assertEquals(
        1,
        count(
            "SELECT count(*) FROM pg_class WHERE relname = '"
                + partition(thisMonth.minusMonths(6))
                + "' AND relnamespace = '"
                + schema
                + "'::regnamespace"));
    assertEquals(
        thisMonth.minusMonths(6).atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
        SpanPartitions.oldestKept(java.time.Instant.now(), 6),
        "readers are told the oldest partition kept starts where the drop's cutoff is");
  }

  @Test
  void maintenanceCreatesThisMonthsAndNextMonthsPartitionsOnly() throws Exception {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setUrl(io.aard.testing.BuildDatabase.jdbcUrl("postgres"));
    dataSource.setUser("postgres");
    dataSource.setCurrentSchema(schema);
    SpanPartitions partitions = new SpanPartitions();
    partitions.dataSource = dataSource;

    partitions.maintain(LocalDate.of(2031, 5, 17), 6);

    for (int month = 5; month <= 8; month++) {
      String name = partition(LocalDate.of(2031, month, 1));
      assertEquals(
          month <= 6 ? 1 : 0,
          count(
              "SELECT count(*) FROM pg_class WHERE relname = '"
                  + name
                  + "' AND relnamespace = '"
                  + schema
                  + "'::regnamespace"),
          name);
    }
  }

  @Test
  void spansOfOneResourceShareOneResourceJson() {
    tracer.spanBuilder("first").startSpan().end();
    tracer.spanBuilder("second").startSpan().end();
    List<SpanRow> rows = rows(finished.getFinishedSpanItems());
    String resource = rows.get(0).resource();
    assertTrue(resource.contains("\"service.name\":\"aard\""), resource);
    assertSame(rows.get(0).resource(), rows.get(1).resource(), "one string for the buffer to hold");
  }

  @Test
  void idsThatAreNotUuidsFillTheColumnsAndOverlongOnesStayInTheAttributes() {
    Span span =
        tracer
            .spanBuilder("legacy")
            .setAttribute("task_id", "not-a-uuid")
            .setAttribute("tool_id", "t".repeat(SpanRows.MAX_ID_CHARS + 1))
            .startSpan();
    span.end();
    SpanRow row = rows(finished.getFinishedSpanItems()).get(0);
    assertEquals("not-a-uuid", row.taskId());
    assertNull(row.toolId());
    assertTrue(row.attributes().contains("not-a-uuid"));
  }

  /**
   * Ten thousand priced spans, stored through the exporter's statement: their costs in the {@code
   * numeric} column sum in SQL to exactly the sum of the costs computed one by one, and the model
   * and session columns are filled.
   */
  @Test
  void tenThousandCostsSumExactlyInSql() throws Exception {
    io.aard.pricing.PriceTable prices =
        io.aard.pricing.PriceTable.of(
            List.of(
                new io.aard.pricing.ModelPrice(
                    "gpt-4o-mini*",
                    new java.math.BigDecimal("0.15"),
                    new java.math.BigDecimal("0.6"),
                    new java.math.BigDecimal("0.075"),
                    "test",
                    Instant.EPOCH)));
    java.util.Random random = new java.util.Random(9);
    java.math.BigDecimal expected = java.math.BigDecimal.ZERO;
    for (int i = 0; i < 10_000; i++) {
      long input = 1 + random.nextInt(20_000);
      long output = random.nextInt(2_000);
      long cached = random.nextInt(4) == 0 ? random.nextInt((int) input) : 0;
      tracer
          .spanBuilder("chat gpt-4o-mini")
          .setAttribute("gen_ai.request.model", "gpt-4o-mini")
          .setAttribute("gen_ai.conversation.id", "conversation-" + (i % 7))
          .setAttribute("gen_ai.usage.input_tokens", input)
          .setAttribute("gen_ai.usage.output_tokens", output)
          .setAttribute("gen_ai.usage.cache_read.input_tokens", cached)
          .startSpan()
          .end();
      expected = expected.add(prices.match("gpt-4o-mini").cost(input, output, cached));
    }
    SpanRows converter = new SpanRows(Map.of(), () -> prices);
    insert(finished.getFinishedSpanItems().stream().map(converter::row).toList());
    try (var s = db.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT sum(cost_usd), count(DISTINCT session_id), min(model), max(model)"
                    + " FROM execution_traces")) {
      r.next();
      assertEquals(0, expected.compareTo(r.getBigDecimal(1)), expected + " vs " + r.getString(1));
      assertEquals(7, r.getLong(2));
      assertEquals("gpt-4o-mini", r.getString(3));
      assertEquals("gpt-4o-mini", r.getString(4));
    }
  }

  private List<SpanData> makeTrace() {
    Span root = tracer.spanBuilder("POST /api/plans/{plan_id}/execute").startSpan();
    try (Scope ignored = root.makeCurrent()) {
      Span step =
          tracer
              .spanBuilder("execution.execute_step")
              .setAttribute("aard.task_id", TASK.toString())
              .setAttribute("aard.step_index", 0L)
              .setAttribute("gen_ai.tool.name", "calculator")
              .setAttribute("gen_ai.usage.input_tokens", 12L)
              .startSpan();
      step.recordException(new ArithmeticException("division by zero"));
      step.setStatus(StatusCode.ERROR, "division by zero");
      step.end();
    } finally {
      root.end();
    }
    return finished.getFinishedSpanItems();
  }

  private static List<SpanRow> rows(List<SpanData> spans) {
    SpanRows converter = new SpanRows(Map.of("calculator", CALCULATOR));
    return spans.stream().map(converter::row).toList();
  }

  /** The exporter's own statement, bound as the persistence unit binds it: one array a column. */
  private void insert(List<SpanRow> rows) throws SQLException {
    String[][] columns = new String[SpanRow.COLUMNS][rows.size()];
    for (int r = 0; r < rows.size(); r++) {
      String[] values = rows.get(r).values();
      for (int c = 0; c < SpanRow.COLUMNS; c++) {
        columns[c][r] = values[c];
      }
    }
    try (var insert = db.prepareStatement(JpaSpanInserter.INSERT)) {
      for (int c = 0; c < SpanRow.COLUMNS; c++) {
        insert.setArray(c + 1, db.createArrayOf("text", columns[c]));
      }
      insert.executeUpdate();
    }
  }

  private long count(String sql) throws SQLException {
    try (var s = db.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static String partition(LocalDate month) {
    return String.format("execution_traces_y%04dm%02d", month.getYear(), month.getMonthValue());
  }
}
