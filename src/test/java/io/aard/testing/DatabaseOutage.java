package io.aard.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * Cuts a database away from a running AARD and lets it back: new connections refused ({@code ALTER
 * DATABASE ... ALLOW_CONNECTIONS false}) and the open ones killed, as when PostgreSQL goes down.
 */
public final class DatabaseOutage {

  private DatabaseOutage() {}

  /** The integration tests' database. */
  public static String itDatabase() {
    return System.getProperty("aard.it.db.name", "aard_it");
  }

  /** Refuses new connections to {@code database} and kills the open ones. */
  public static void cut(String database) throws SQLException {
    allowConnections(database, false);
    try (Connection admin = admin();
        var kill =
            admin.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
      kill.setString(1, database);
      kill.executeQuery().close();
    }
  }

  /** Lets connections to {@code database} in again. */
  public static void restore(String database) throws SQLException {
    allowConnections(database, true);
  }

  private static void allowConnections(String database, boolean allow) throws SQLException {
    try (Connection admin = admin();
        var statement = admin.createStatement()) {
      statement.execute(
          "ALTER DATABASE \""
              + database
              + "\" WITH ALLOW_CONNECTIONS "
              + (allow ? "true" : "false"));
    }
  }

  private static Connection admin() throws SQLException {
    return DriverManager.getConnection(BuildDatabase.jdbcUrl("postgres"), "postgres", "");
  }
}
