package io.aard.tracequery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.BuildDatabase;
import io.aard.tracequery.TraceViews.StatsSummary;
import io.aard.web.ApiException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The three statements of a statistics request on the real PostgreSQL, in a schema of their own:
 * when one fails, the other two stop in PostgreSQL at once rather than run on to the statement
 * timeout holding connections and cores. To catch all three running, the test holds a lock on the
 * span table, so that they wait; it then cancels one from outside, as the statement timeout would.
 *
 * <p>Deploys nothing: failsafe's builtin execution runs it as a plain JUnit test.
 */
class TraceStatisticsIT {

  private static final Duration PROMPT = Duration.ofSeconds(5);

  private final String application = "aard-stats-it-" + UUID.randomUUID();
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private Connection admin;
  private Connection locker;
  private String schema;
  private TraceStatistics statistics;

  @BeforeEach
  void createSchema() throws Exception {
    admin = DriverManager.getConnection(BuildDatabase.jdbcUrl("postgres"), "postgres", "");
    schema = "stats_test_" + UUID.randomUUID().toString().replace("-", "");
    try (Statement s = admin.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
      s.execute("SET search_path TO " + schema);
      for (String migration :
          List.of(
              "V2__execution_traces.sql",
              "V3__trace_query_indexes.sql",
              "V4__error_span_covering_index.sql",
              "V5__drop_redundant_start_time_index.sql",
              "V7__text_span_ids.sql",
              "V9__cost_model_session.sql")) {
        s.execute(Files.readString(Path.of("src/main/resources/db/migration/" + migration)));
      }
    }
    PGSimpleDataSource postgres = new PGSimpleDataSource();
    postgres.setUrl(BuildDatabase.jdbcUrl("postgres"));
    postgres.setUser("postgres");
    postgres.setCurrentSchema(schema);
    postgres.setApplicationName(application);
    statistics = new TraceStatistics(postgres, executor);
    locker = DriverManager.getConnection(BuildDatabase.jdbcUrl("postgres"), "postgres", "");
  }

  @AfterEach
  void dropSchema() throws SQLException {
    executor.shutdownNow();
    locker.close();
    try (Statement s = admin.createStatement()) {
      s.execute("DROP SCHEMA " + schema + " CASCADE");
    }
    admin.close();
  }

  @Test
  void allThreeStatementsAnswerTogether() throws Exception {
    Instant start = Instant.now().minus(1, ChronoUnit.HOURS);
    List<Object[]> rows = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      rows.add(
          SeededTraces.row(
              "stats-it",
              SeededTraces.traceId(),
              null,
              "op",
              "SERVER",
              start.plusSeconds(i),
              10.0 * (i + 1),
              "OK",
              null,
              null,
              null,
              null,
              null,
              null,
              "{}",
              "[]"));
    }
    try (Statement s = admin.createStatement()) {
      s.execute("SET search_path TO " + schema);
    }
    SeededTraces.insert(admin, rows);

    StatsSummary summary =
        statistics.summary(TraceParams.stats(Map.of(), Instant.now(), Instant.EPOCH));

    assertEquals(3, summary.spanCount());
    assertEquals(3, summary.traceCount());
    assertEquals(20.0, summary.durationMs().p50(), 1e-9);
  }

  @Test
  void whenTheGroupedStatementFailsTheOtherTwoStopInPostgreSql() throws Exception {
    Future<StatsSummary> request = startWhileLocked();
    cancel("WITH g AS MATERIALIZED%");
    assertStopsWhileStillLocked(request);
  }

  @Test
  void whenTheTraceCountFailsTheGroupedStatementStopsToo() throws Exception {
    Future<StatsSummary> request = startWhileLocked();
    cancel("SELECT count(*) FROM (SELECT s.trace_id%");
    assertStopsWhileStillLocked(request);
  }

  /**
   * Locks the span table, starts a statistics request and waits until its three statements wait.
   */
  private Future<StatsSummary> startWhileLocked() throws SQLException {
    locker.setAutoCommit(false);
    try (Statement s = locker.createStatement()) {
      s.execute("LOCK TABLE " + schema + ".execution_traces IN ACCESS EXCLUSIVE MODE");
    }
    Future<StatsSummary> request =
        executor.submit(
            () -> statistics.summary(TraceParams.stats(Map.of(), Instant.now(), Instant.EPOCH)));
    await("the three statements wait for the lock")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> running("Lock"), n -> n == 3);
    return request;
  }

  /**
   * The request fails with the 503 of a statement that ran too long, promptly, and none of its
   * statements still runs, although the lock they waited for is still held.
   */
  private void assertStopsWhileStillLocked(Future<StatsSummary> request) throws Exception {
    long started = System.nanoTime();
    ExecutionException failed =
        assertThrows(
            ExecutionException.class, () -> request.get(PROMPT.toSeconds(), TimeUnit.SECONDS));
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertTrue(failed.getCause() instanceof ApiException, failed.toString());
    assertEquals(503, ((ApiException) failed.getCause()).status());
    assertNull(((ApiException) failed.getCause()).parameter());
    assertTrue(took.compareTo(PROMPT) < 0, "took " + took);
    // Ended before the request answered: the driver got each statement's error back.
    assertEquals(0, running(null), "statements of the failed request still run");
    locker.rollback();
  }

  /** Cancels, as the statement timeout would, the request's statement whose text is like this. */
  private void cancel(String like) throws SQLException {
    try (var ps =
        admin.prepareStatement(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity"
                + " WHERE application_name = ? AND state = 'active' AND query LIKE ?")) {
      ps.setString(1, application);
      ps.setString(2, like);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next() && rs.getBoolean(1), "no running statement like " + like);
      }
    }
  }

  /** The request's statements running now; waiting for {@code waitEventType}, when not null. */
  private int running(String waitEventType) throws SQLException {
    try (var ps =
        admin.prepareStatement(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?"
                + " AND state = 'active' AND (?::text IS NULL OR wait_event_type = ?)")) {
      ps.setString(1, application);
      ps.setString(2, waitEventType);
      ps.setString(3, waitEventType);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
