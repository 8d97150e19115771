package io.aard.db;

import io.aard.Failures;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while PostgreSQL answers and the migrations have run; DOWN while it does not. */
@Readiness
@ApplicationScoped
public class DatabaseHealth implements HealthCheck {

  private static final int VALIDATION_TIMEOUT_SECONDS = 2;

  private static final java.util.logging.Logger LOG =
      java.util.logging.Logger.getLogger(DatabaseHealth.class.getName());

  @Resource(lookup = "jdbc/aard")
  DataSource dataSource;

  @Inject DatabaseBootstrap bootstrap;

  @Inject EmbeddedDatabase embedded;

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("database");
    String version = bootstrap.schemaVersion();
    response.withData("schema_version", version == null ? "none" : version);
    // Said where operators look: this database is the development one AARD brought along.
    response.withData("embedded", embedded.running());
    if (version == null) {
      return response.down().withData("error", "migrations have not run").build();
    }
    try (Connection c = dataSource.getConnection()) {
      if (c.isValid(VALIDATION_TIMEOUT_SECONDS)) {
        return response.up().build();
      }
      return response.down().withData("error", "connection is not valid").build();
    } catch (SQLException e) {
      // The driver's text names the database host and port: for the log, not for any caller.
      LOG.warning("Readiness: the database cannot be reached: " + Failures.rootMessage(e));
      return response.down().withData("error", "the database cannot be reached").build();
    }
  }
}
