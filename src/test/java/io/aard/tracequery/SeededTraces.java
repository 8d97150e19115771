package io.aard.tracequery;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Spans written straight into the integration-test database, as the exporter would write them, in a
 * window far in the future that no real span reaches and under a service name of their own, so that
 * every assertion can be scoped to them.
 */
final class SeededTraces {

  static final String SERVICE_PREFIX = "it-query-";

  final String service =
      SERVICE_PREFIX + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());

  /** A month boundary between 2040 and 2089; the seeded traces sit around it. */
  final Instant boundary =
      OffsetDateTime.of(
              2040 + ThreadLocalRandom.current().nextInt(50),
              1 + ThreadLocalRandom.current().nextInt(12),
              1,
              0,
              0,
              0,
              0,
              ZoneOffset.UTC)
          .toInstant();

  final UUID task1 = UUID.randomUUID();
  final UUID plan1 = UUID.randomUUID();
  final UUID task2 = UUID.randomUUID();
  final UUID agent1 = UUID.randomUUID();
  final UUID agent2 = UUID.randomUUID();
  final UUID tool1 = UUID.randomUUID();
  final UUID tool2 = UUID.randomUUID();

  /** Starts 10 minutes before the boundary and ends after it: two partitions. */
  final String crossing = traceId();

  /** Its only ERROR is four levels down. */
  final String deepError = traceId();

  /** No task, plan, agent or tool on any span. */
  final String noTask = traceId();

  /**
   * Continues a caller's trace: its root SERVER span has a parent that is not stored, and the
   * caller called AARD a second time in the same trace (another SERVER span, parent not stored).
   */
  final String remoteParent = traceId();

  /** Only children: the root is not stored yet, so a search does not list it. */
  final String rootless = traceId();

  /** Small traces for paging, two pairs with the very same start. */
  final List<String> small = new ArrayList<>();

  private final List<Object[]> rows = new ArrayList<>();

  SeededTraces() {
    Instant t = boundary.minus(10, ChronoUnit.MINUTES);
    String a =
        span(
            crossing,
            null,
            "POST /api/plans/{plan_id}/execute",
            "SERVER",
            t,
            1_200_000,
            "UNSET",
            task1,
            plan1,
            null,
            null,
            null,
            null,
            "{\"http.route\": \"/api/plans/{plan_id}/execute\", \"http.response.status_code\":"
                + " 200}",
            "[]");
    String a1 =
        span(
            crossing,
            a,
            "execution.execute_step",
            "INTERNAL",
            t.plusSeconds(60),
            600_000,
            "OK",
            task1,
            plan1,
            agent1,
            tool1,
            null,
            null,
            "{\"aard.step_index\": 0, \"gen_ai.tool.name\": \"llm\"}",
            "[]");
    span(
        crossing,
        a1,
        "ollama.generate",
        "CLIENT",
        boundary.plusSeconds(60),
        30_000,
        "ERROR",
        task1,
        plan1,
        agent1,
        tool1,
        12L,
        30L,
        "{\"gen_ai.usage.input_tokens\": 12, \"gen_ai.usage.output_tokens\": 30,"
            + " \"gen_ai.request.model\": \"llama3.2\"}",
        "[{\"name\": \"exception\", \"attributes\": {\"exception.message\": \"model"
            + " unavailable\"}}]");
    span(
        crossing,
        a,
        "execution.execute_step",
        "INTERNAL",
        boundary.plusSeconds(120),
        120_000,
        "OK",
        task1,
        plan1,
        agent2,
        tool2,
        null,
        null,
        "{\"aard.step_index\": 1, \"ratio\": 0.5}",
        "[]");

    t = boundary.minus(9, ChronoUnit.MINUTES);
    String b =
        span(
            deepError,
            null,
            "POST /api/tasks/{task_id}/plan",
            "SERVER",
            t,
            5_000,
            "OK",
            task1,
            null,
            null,
            null,
            null,
            null,
            "{\"http.response.status_code\": \"500\"}",
            "[]");
    String b1 =
        span(
            deepError,
            b,
            "planning.generate_plan",
            "INTERNAL",
            t.plusMillis(10),
            4_000,
            "UNSET",
            task1,
            null,
            null,
            null,
            null,
            null,
            "{}",
            "[]");
    String b2 =
        span(
            deepError,
            b1,
            "execution.execute_step",
            "INTERNAL",
            t.plusMillis(20),
            3_000,
            "UNSET",
            task1,
            null,
            agent2,
            tool2,
            null,
            null,
            "{\"code\": \"12\"}",
            "[]");
    String b3 =
        span(
            deepError,
            b2,
            "tool.calculator",
            "INTERNAL",
            t.plusMillis(30),
            2_000,
            "UNSET",
            task1,
            null,
            agent2,
            tool2,
            null,
            null,
            "{}",
            "[]");
    span(
        deepError,
        b3,
        "tool.calculator.divide",
        "INTERNAL",
        t.plusMillis(40),
        1_000,
        "ERROR",
        task1,
        null,
        agent2,
        tool2,
        7L,
        3L,
        "{\"gen_ai.usage.input_tokens\": \"12\"}",
        "[{\"name\": \"exception\"}]");

    t = boundary.minus(8, ChronoUnit.MINUTES);
    String c =
        span(
            noTask,
            null,
            "GET /api/tools",
            "SERVER",
            t,
            40,
            "UNSET",
            null,
            null,
            null,
            null,
            null,
            null,
            "{\"flag\": true, \"tags\": [\"alpha\", \"beta\"]}",
            "[]");
    span(
        noTask,
        c,
        "registry.list",
        "INTERNAL",
        t.plusMillis(5),
        20,
        "OK",
        null,
        null,
        null,
        null,
        null,
        null,
        "{\"flag\": false, \"aard.step_index\": 2}",
        "[]");

    t = boundary.minus(7, ChronoUnit.MINUTES);
    String d =
        span(
            remoteParent,
            "00f067aa0ba902b7",
            "POST /api/tasks",
            "SERVER",
            t,
            80,
            "UNSET",
            task2,
            null,
            null,
            null,
            null,
            null,
            "{}",
            "[]");
    span(
        remoteParent,
        d,
        "task.create",
        "INTERNAL",
        t.plusMillis(3),
        50,
        "OK",
        task2,
        null,
        null,
        null,
        null,
        null,
        "{}",
        "[]");
    span(
        remoteParent,
        "00f067aa0ba902b8",
        "GET /api/tasks/{task_id}",
        "SERVER",
        t.plusMillis(100),
        5,
        "OK",
        task2,
        null,
        null,
        null,
        null,
        null,
        "{}",
        "[]");

    t = boundary.minus(6, ChronoUnit.MINUTES);
    span(
        rootless,
        "a0b1c2d3e4f50617",
        "planning.analyze_task",
        "INTERNAL",
        t,
        30,
        "ERROR",
        task2,
        null,
        null,
        null,
        null,
        null,
        "{}",
        "[]");

    for (int i = 0; i < 24; i++) {
      String id = traceId();
      small.add(id);
      // Pairs 4/5 and 10/11 start in the same microsecond: the trace id breaks the tie.
      long offset = i == 5 ? 4 : i == 11 ? 10 : i;
      Instant start = boundary.plus(5, ChronoUnit.MINUTES).plusSeconds(offset);
      String root =
          span(
              id,
              null,
              "GET /api/traces",
              "SERVER",
              start,
              10 + i,
              "UNSET",
              null,
              null,
              null,
              null,
              null,
              null,
              "{\"page.index\": " + i + "}",
              "[]");
      span(
          id,
          root,
          "trace.search",
          "INTERNAL",
          start.plusMillis(1),
          5,
          i % 3 == 0 ? "ERROR" : "OK",
          null,
          null,
          i % 2 == 0 ? agent1 : null,
          null,
          null,
          null,
          "{}",
          "[]");
    }
  }

  /** Writes the spans, creating the two months' partitions first. */
  void insert() throws SQLException {
    try (Connection c = connect()) {
      try (Statement s = c.createStatement()) {
        s.execute("DELETE FROM execution_traces WHERE service_name LIKE '" + SERVICE_PREFIX + "%'");
      }
      try (PreparedStatement ps =
          c.prepareStatement("SELECT aard_create_trace_partition(?::date)")) {
        for (Instant month : List.of(boundary.minus(1, ChronoUnit.DAYS), boundary)) {
          ps.setObject(1, month.atOffset(ZoneOffset.UTC).toLocalDate());
          ps.execute();
        }
      }
      insert(c, rows);
    }
  }

  /** Writes more spans; each row as {@link #span} builds it. */
  static void insert(Connection c, List<Object[]> rows) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO execution_traces (trace_id, span_id, parent_span_id, operation_name,"
                + " service_name, span_kind, start_time, end_time, duration_ms, status,"
                + " status_message, task_id, plan_id, agent_id, tool_id, input_tokens,"
                + " output_tokens, attributes, events, resource) VALUES (?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb)")) {
      for (Object[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          ps.setObject(i + 1, row[i]);
        }
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  static Connection connect() throws SQLException {
    return DriverManager.getConnection(
        io.aard.testing.BuildDatabase.jdbcUrl(System.getProperty("aard.it.db.name", "aard_it")),
        "postgres",
        "");
  }

  /** Adds a span to this set; returns its span id. */
  String span(
      String traceId,
      String parent,
      String name,
      String kind,
      Instant start,
      double durationMs,
      String status,
      UUID task,
      UUID plan,
      UUID agent,
      UUID tool,
      Long inputTokens,
      Long outputTokens,
      String attributes,
      String events) {
    Object[] row =
        row(
            service,
            traceId,
            parent,
            name,
            kind,
            start,
            durationMs,
            status,
            task,
            plan,
            agent,
            tool,
            inputTokens,
            outputTokens,
            attributes,
            events);
    rows.add(row);
    return (String) row[1];
  }

  static Object[] row(
      String service,
      String traceId,
      String parent,
      String name,
      String kind,
      Instant start,
      double durationMs,
      String status,
      UUID task,
      UUID plan,
      UUID agent,
      UUID tool,
      Long inputTokens,
      Long outputTokens,
      String attributes,
      String events) {
    Instant end = start.plusNanos((long) (durationMs * 1_000_000));
    return new Object[] {
      traceId,
      spanId(),
      parent,
      name,
      service,
      kind,
      start.atOffset(ZoneOffset.UTC),
      end.atOffset(ZoneOffset.UTC),
      durationMs,
      status,
      "ERROR".equals(status) ? "failed on purpose" : null,
      task,
      plan,
      agent,
      tool,
      inputTokens,
      outputTokens,
      attributes,
      events,
      "{\"service.name\": \"" + service + "\", \"host.name\": \"it\"}"
    };
  }

  static String traceId() {
    return HexFormat.of().formatHex(randomBytes(16));
  }

  static String spanId() {
    return HexFormat.of().formatHex(randomBytes(8));
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    ThreadLocalRandom.current().nextBytes(bytes);
    return bytes;
  }
}
