package io.aard.web;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Recognises a failure caused by PostgreSQL being out of reach (refused, killed, not accepting
 * connections, no pooled connection in time), whichever layer wrapped it: JPA, the transaction
 * interceptor, the connection pool. Such a failure is the client's to retry, not a bug.
 */
final class DatabaseUnavailable {

  /** Causes looked at, at most: a guard against pathological chains, not a real limit. */
  private static final int MAX_CAUSES = 64;

  private DatabaseUnavailable() {}

  /** Whether {@code failure} or anything it wraps says the database cannot be reached. */
  static boolean causedBy(Throwable failure) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Throwable> pending = new ArrayDeque<>();
    pending.add(failure);
    while (!pending.isEmpty() && seen.size() < MAX_CAUSES) {
      Throwable t = pending.poll();
      if (!seen.add(t)) {
        continue;
      }
      // Only JDBC's own types: a refused socket of a tool's HTTP call is not the database's.
      if (t instanceof SQLTransientConnectionException
          || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLRecoverableException) {
        return true;
      }
      if (t instanceof SQLException sql) {
        if (unavailable(sql)) {
          return true;
        }
        if (sql.getNextException() != null) {
          pending.add(sql.getNextException());
        }
      }
      if (t.getCause() != null) {
        pending.add(t.getCause());
      }
    }
    return false;
  }

  /**
   * SQLSTATE class 08 (connection exception), 57P01–57P03 (the server is shutting down or the
   * backend was terminated), 53300 (too many connections), and 55000 when PostgreSQL says the
   * database is not accepting connections ({@code ALLOW_CONNECTIONS false}).
   */
  private static boolean unavailable(SQLException sql) {
    String state = sql.getSQLState();
    if (state == null) {
      return false;
    }
    if (state.startsWith("08") || state.startsWith("57P0") || state.equals("53300")) {
      return true;
    }
    String message = sql.getMessage();
    return state.equals("55000")
        && message != null
        && message.contains("not currently accepting connections");
  }
}
