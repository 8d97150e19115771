package io.aard.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * Many spans written into {@code execution_traces} in one {@code INSERT ... SELECT} (no client
 * round trips), for tests and benchmarks whose reads must take a while: the shape of
 * bench/generate-spans.sql in small (30 spans a trace, a root SERVER span over INTERNAL ones, five
 * operations, agents, tools, 3 % errors, token counts on a fifth), spread evenly over a window,
 * under a service name of the caller's so that they can be counted and removed apart.
 */
public final class BulkSpans {

  private static final String INSERT =
      "INSERT INTO execution_traces (trace_id, span_id, parent_span_id, operation_name,"
          + " service_name, span_kind, start_time, end_time, duration_ms, status, status_message,"
          + " task_id, plan_id, agent_id, tool_id, input_tokens, output_tokens, attributes, events,"
          + " resource)"
          + " SELECT md5(p.seed || '/t' || (n / 30)), substr(md5(p.seed || '/s' || n), 1, 16),"
          + " CASE WHEN n % 30 = 0 THEN NULL"
          + " ELSE substr(md5(p.seed || '/s' || (n - n % 30)), 1, 16) END,"
          + " CASE WHEN n % 30 = 0 THEN 'POST /api/plans/{plan_id}/execute' ELSE (ARRAY["
          + "'planning.generate_plan', 'execution.execute_step', 'ollama.generate',"
          + " 'tool.calculator', 'http.get'])[1 + n % 5] END,"
          + " p.service, CASE WHEN n % 30 = 0 THEN 'SERVER' ELSE 'INTERNAL' END,"
          + " ts, ts + make_interval(secs => d / 1000.0), d,"
          + " CASE WHEN n % 33 = 0 THEN 'ERROR' ELSE 'OK' END,"
          + " CASE WHEN n % 33 = 0 THEN 'failed on purpose' END,"
          + " md5(p.seed || '/task' || (n / 60))::uuid::text,"
          + " md5(p.seed || '/plan' || (n / 60))::uuid::text,"
          + " 'agent-' || (n % 5), 'tool-' || (n % 6),"
          + " CASE WHEN n % 5 = 2 THEN 100 + n % 50 END, CASE WHEN n % 5 = 2 THEN 20 + n % 30 END,"
          + " jsonb_build_object('aard.step_index', n % 7, 'http.route', '/api/plans/{plan_id}',"
          + " 'thread.name', 'Default Executor-thread-' || (n % 64)),"
          + " '[]'::jsonb, jsonb_build_object('service.name', p.service, 'host.name', 'bulk')"
          + " FROM (SELECT ?::text AS service, ?::text AS seed, ?::float8 AS t0,"
          + " ?::float8 AS seconds, ?::int AS spans) AS p,"
          + " LATERAL (SELECT n, to_timestamp(p.t0 + p.seconds * n::float8 / p.spans) AS ts,"
          + " 1 + (hashint4(n) & 65535) / 20.0 AS d"
          + " FROM generate_series(0, p.spans - 1) AS n) AS g";

  private BulkSpans() {}

  /**
   * Writes {@code count} spans of {@code service} spread over {@code from}..{@code to}, creating
   * the window's monthly partitions first.
   *
   * @param seed tells this batch's ids from another's of the same service
   */
  public static void insert(
      Connection c, String service, String seed, Instant from, Instant to, int count)
      throws SQLException {
    try (PreparedStatement partition =
        c.prepareStatement("SELECT aard_create_trace_partition(?::date)")) {
      LocalDate month = from.atOffset(ZoneOffset.UTC).toLocalDate().withDayOfMonth(1);
      while (month.atStartOfDay().toInstant(ZoneOffset.UTC).isBefore(to)) {
        partition.setObject(1, month);
        partition.execute();
        month = month.plusMonths(1);
      }
    }
    try (PreparedStatement insert = c.prepareStatement(INSERT)) {
      insert.setString(1, service);
      insert.setString(2, seed);
      insert.setDouble(3, from.getEpochSecond());
      insert.setDouble(4, ChronoUnit.MILLIS.between(from, to) / 1000.0);
      insert.setInt(5, count);
      insert.executeUpdate();
    }
    try (var analyze = c.createStatement()) {
      analyze.execute("ANALYZE execution_traces");
    }
  }

  /** How many spans of {@code service} start in {@code from}..{@code to}. */
  public static long count(Connection c, String service, Instant from, Instant to)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT count(*) FROM execution_traces WHERE service_name = ?"
                + " AND start_time >= ? AND start_time < ?")) {
      ps.setString(1, service);
      ps.setObject(2, from.atOffset(ZoneOffset.UTC));
      ps.setObject(3, to.atOffset(ZoneOffset.UTC));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Removes every span of {@code service}. */
  public static void delete(Connection c, String service) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM execution_traces WHERE service_name = ?")) {
      ps.setString(1, service);
      ps.executeUpdate();
    }
  }
}
