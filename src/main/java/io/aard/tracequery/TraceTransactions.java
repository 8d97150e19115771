package io.aard.tracequery;

import io.aard.web.ApiException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * How the read side's statements run: in a transaction whose settings suit them, bounded by a
 * statement timeout, and what a failed statement becomes.
 */
final class TraceTransactions {

  private static final Logger LOG = Logger.getLogger(TraceTransactions.class.getName());
  private static final String STATEMENT_TIMEOUT = "30s";

  /**
   * JIT off (its compile time dwarfs these queries); custom plans, so that the planner sees the
   * bound values (the search's plan choice reads its estimate); the statement timeout.
   */
  private static final String SETTINGS =
      "SET LOCAL jit = off; SET LOCAL plan_cache_mode = force_custom_plan;"
          + " SET LOCAL statement_timeout = '"
          + STATEMENT_TIMEOUT
          + "'";

  private static final String QUERY_CANCELED = "57014";

  private TraceTransactions() {}

  /**
   * What an aggregate (a statistics statement) gets besides {@link #SETTINGS}: the memory to hash
   * and sort a window of spans, and no parallel workers: a statistics request already splits its
   * work over three connections, and workers on top of them would let one request take every core
   * of the database from the platform.
   */
  private static final String AGGREGATE_SETTINGS =
      "; SET LOCAL work_mem = '64MB'; SET LOCAL max_parallel_workers_per_gather = 0";

  /**
   * Runs {@code work} in a transaction with the read settings; an {@code aggregate} also gets
   * {@link #AGGREGATE_SETTINGS}. The transaction is rolled back when {@code work} fails, and the
   * connection's auto-commit is restored either way.
   */
  static <T> T inTransaction(Connection c, boolean aggregate, SqlWork<T> work) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (var settings = c.createStatement()) {
        settings.execute(aggregate ? SETTINGS + AGGREGATE_SETTINGS : SETTINGS);
      }
      T result = work.run();
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  /**
   * What a failed statement becomes: a 503 naming the cause when it ran past the statement timeout;
   * otherwise a failure for {@code ErrorMapper} to classify, as for every other request (a 503 with
   * {@code Retry-After} when PostgreSQL cannot be reached, a logged 500 for anything else).
   */
  static RuntimeException failure(String what, SQLException e) {
    if (QUERY_CANCELED.equals(e.getSQLState())) {
      LOG.log(Level.WARNING, what + " took longer than " + STATEMENT_TIMEOUT, e);
      return new ApiException(
          503, what + " took too long: narrow it, e.g. with start_time_from", null);
    }
    return new IllegalStateException(what + " failed", e);
  }

  /** Work on a connection that may fail with an {@link SQLException}. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run() throws SQLException;
  }
}
