package io.aard.tracequery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.web.ApiException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceTransactionsTest {

  @Test
  void statementTimeoutIsA503ThatSaysHowToNarrowTheSearch() {
    RuntimeException failure =
        TraceTransactions.failure("searching traces", new SQLException("canceled", "57014"));
    ApiException api = (ApiException) failure;
    assertEquals(503, api.status());
    assertEquals(
        "searching traces took too long: narrow it, e.g. with start_time_from", api.getMessage());
  }

  @Test
  void otherFailuresAreLeftForTheErrorMapper() {
    SQLException cause = new SQLException("connection refused", "08001");
    RuntimeException failure = TraceTransactions.failure("reading trace 0af7", cause);
    assertEquals(IllegalStateException.class, failure.getClass());
    assertEquals("reading trace 0af7 failed", failure.getMessage());
    assertSame(cause, failure.getCause());
  }

  @Test
  void workRunsAfterTheSettingsAndCommits() throws SQLException {
    List<String> calls = new ArrayList<>();
    String result = TraceTransactions.inTransaction(connection(calls), false, () -> "done");
    assertEquals("done", result);
    assertEquals(
        List.of(
            "setAutoCommit false",
            "execute SET LOCAL jit = off; SET LOCAL plan_cache_mode = force_custom_plan;"
                + " SET LOCAL statement_timeout = '30s'",
            "commit",
            "setAutoCommit true"),
        calls);
  }

  @Test
  void failedWorkRollsBackAndRestoresAutoCommit() {
    List<String> calls = new ArrayList<>();
    SQLException failure = new SQLException("boom");
    SQLException thrown =
        assertThrows(
            SQLException.class,
            () ->
                TraceTransactions.inTransaction(
                    connection(calls),
                    true,
                    () -> {
                      throw failure;
                    }));
    assertSame(failure, thrown);
    assertTrue(calls.get(1).contains("; SET LOCAL work_mem = '64MB'"), calls.get(1));
    // An aggregate keeps to its own core: parallel workers would take the platform's.
    assertTrue(
        calls.get(1).endsWith("; SET LOCAL max_parallel_workers_per_gather = 0"), calls.get(1));
    assertEquals(List.of("rollback", "setAutoCommit true"), calls.subList(2, calls.size()));
  }

  /** A connection in auto-commit mode that records what is done with it. */
  private static Connection connection(List<String> calls) {
    Statement statement =
        (Statement)
            Proxy.newProxyInstance(
                Statement.class.getClassLoader(),
                new Class<?>[] {Statement.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("execute")) {
                    calls.add("execute " + args[0]);
                    return false;
                  }
                  return null;
                });
    return (Connection)
        Proxy.newProxyInstance(
            Connection.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getAutoCommit" -> true;
                  case "createStatement" -> statement;
                  case "setAutoCommit" -> {
                    calls.add("setAutoCommit " + args[0]);
                    yield null;
                  }
                  default -> {
                    calls.add(method.getName());
                    yield null;
                  }
                });
  }
}
