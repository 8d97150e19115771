package io.aard.tracequery;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The statements that answer one request together, each on a connection (and thread) of its own.
 * The first failure stops the others in PostgreSQL ({@link Statement#cancel}, a cancel request on a
 * connection of its own), so that a request that has already failed holds no connection and no core
 * for the rest of the statement timeout; a statement that starts after the failure does not run.
 * Thread-safe.
 */
final class StatementGroup {

  private static final Logger LOG = Logger.getLogger(StatementGroup.class.getName());

  /** What a statement reports when the group stopped it: a cancelled query's SQLSTATE. */
  static final String CANCELLED = "57014";

  private final Set<Statement> running = ConcurrentHashMap.newKeySet();
  private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

  /** Runs {@code statement}'s query as a member of the group, unless the group has failed. */
  ResultSet executeQuery(PreparedStatement statement) throws SQLException {
    // Added before the check, and the failure set before cancel() looks: either this thread sees
    // the failure or cancel() sees the statement.
    running.add(statement);
    try {
      if (failure.get() != null) {
        throw new SQLException("another statement of the request failed", CANCELLED);
      }
      return statement.executeQuery();
    } finally {
      running.remove(statement);
    }
  }

  /**
   * Records the request's failure, if it is the first, and cancels every statement still running.
   *
   * @return whether {@code cause} is the first failure
   */
  boolean fail(RuntimeException cause) {
    boolean first = failure.compareAndSet(null, cause);
    cancel();
    return first;
  }

  /** Whether a statement has failed. */
  boolean failed() {
    return failure.get() != null;
  }

  /** The first failure, or {@code null}. */
  RuntimeException failure() {
    return failure.get();
  }

  /**
   * Cancels the statements running now. A cancel that reaches a statement before the driver has
   * sent it is lost, so a caller waiting for the members to end calls this again while they run.
   */
  void cancel() {
    for (Statement statement : running) {
      try {
        statement.cancel();
      } catch (SQLException | RuntimeException e) {
        // The statement ends anyway, at the latest at the statement timeout.
        LOG.log(Level.FINE, "Cancelling a trace statistics statement failed", e);
      }
    }
  }
}
