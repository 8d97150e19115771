package io.aard.tracequery;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Loads the installation's cursor key ({@code aard_settings.trace_cursor_key}, made by migration
 * V8) into {@link TraceCursor} once the migrations have run, so that all instances sign alike.
 */
@ApplicationScoped
public class CursorKeyLoader {

  private static final Logger LOG = Logger.getLogger(CursorKeyLoader.class.getName());

  @Resource(lookup = "jdbc/aard")
  DataSource dataSource;

  // After DatabaseBootstrap (default priority), which migrates.
  void load(@Observes @Priority(3100) @Initialized(ApplicationScoped.class) Object ignored) {
    try (Connection c = dataSource.getConnection();
        var statement =
            c.prepareStatement("SELECT value FROM aard_settings WHERE name = 'trace_cursor_key'");
        var result = statement.executeQuery()) {
      if (result.next()) {
        TraceCursor.useKey(result.getString(1).getBytes(StandardCharsets.US_ASCII));
        return;
      }
      LOG.warning("aard_settings has no trace_cursor_key: cursors are signed per process");
    } catch (SQLException | RuntimeException e) {
      LOG.warning(
          "The trace cursor key could not be loaded; cursors are signed per process until a"
              + " restart: "
              + e);
    }
  }
}
