package io.aard.db;

import io.aard.Failures;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Makes the database ready before the application serves a request: creates AARD's database if it
 * does not exist yet (so the default configuration needs no set-up step), then applies the Flyway
 * migrations. Any failure stops the application with one log line that names the cause and the
 * {@code AARD_DB_*} keys to check.
 */
@ApplicationScoped
public class DatabaseBootstrap {

  private static final Logger LOG = Logger.getLogger(DatabaseBootstrap.class.getName());

  @Resource(lookup = "jdbc/aard")
  DataSource dataSource;

  @Resource(lookup = "jdbc/aardAdmin")
  DataSource adminDataSource;

  private volatile String schemaVersion;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    try {
      ensureDatabaseExists();
      migrate();
    } catch (DatabaseStartupException e) {
      LOG.severe("AARD cannot start: " + e.getMessage());
      throw e;
    }
  }

  /** The schema version the migrations reached, or {@code null} before they ran. */
  public String schemaVersion() {
    return schemaVersion;
  }

  private void ensureDatabaseExists() {
    String name;
    try (Connection c = dataSource.getConnection()) {
      return;
    } catch (SQLException e) {
      if (!"3D000".equals(sqlState(e))) {
        throw new DatabaseStartupException(
            "PostgreSQL is unreachable (check AARD_DB_HOST, AARD_DB_PORT, AARD_DB_NAME, "
                + "AARD_DB_USER, AARD_DB_PASSWORD): "
                + Failures.rootMessage(e),
            e);
      }
      name = missingDatabaseName(e);
    }
    try (Connection admin = adminDataSource.getConnection();
        var statement = admin.createStatement()) {
      // CREATE DATABASE takes no bind parameters; the name is quoted as an identifier.
      statement.execute("CREATE DATABASE \"" + name.replace("\"", "\"\"") + "\"");
      LOG.info("Created the database " + name + " (AARD_DB_NAME)");
    } catch (SQLException e) {
      if (!"42P04".equals(sqlState(e))) {
        throw new DatabaseStartupException(
            "the database named by AARD_DB_NAME does not exist and could not be created: "
                + Failures.rootMessage(e),
            e);
      }
    }
  }

  private void migrate() {
    try {
      MigrateResult result =
          Flyway.configure(getClass().getClassLoader())
              .dataSource(dataSource)
              .locations("classpath:db/migration")
              .placeholderReplacement(false)
              .load()
              .migrate();
      schemaVersion = result.targetSchemaVersion;
      if (schemaVersion == null) {
        schemaVersion = result.initialSchemaVersion;
      }
      LOG.info(
          "Database schema at version "
              + schemaVersion
              + " ("
              + result.migrationsExecuted
              + " migrations applied now)");
    } catch (RuntimeException e) {
      throw new DatabaseStartupException(
          "a database migration failed: " + Failures.rootMessage(e), e);
    }
  }

  private static String sqlState(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        return sql.getSQLState();
      }
    }
    return null;
  }

  private static String missingDatabaseName(SQLException e) {
    String message = Failures.rootMessage(e);
    var m =
        java.util.regex.Pattern.compile("database \"([^\"]+)\" does not exist").matcher(message);
    if (m.find()) {
      return m.group(1);
    }
    throw new DatabaseStartupException(
        "the database named by AARD_DB_NAME does not exist: " + message, e);
  }

  /** The start-up failure; its message is the one log line an operator needs. */
  static final class DatabaseStartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DatabaseStartupException(String message, Throwable cause) {
      super(message, cause);
      // The cause is logged by Liberty with the failed start; keep this line readable.
      LOG.log(Level.FINE, message, cause);
    }
  }
}
