package io.aard.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** Reads {@code execution_traces} of the integration-test database, as a user's SQL would. */
public final class SpanTable {

  /** The pause between two queries of {@link #await}: prompt, yet light on the database. */
  private static final Duration POLL = Duration.ofMillis(100);

  private SpanTable() {}

  /** A connection to the integration-test database. */
  public static Connection connect() throws SQLException {
    return DriverManager.getConnection(
        io.aard.testing.BuildDatabase.jdbcUrl(System.getProperty("aard.it.db.name", "aard_it")),
        "postgres",
        "");
  }

  /** One stored span: every column as text. */
  public record Row(Map<String, String> columns) {
    public String get(String column) {
      return columns.get(column);
    }
  }

  /** The rows that {@code sql} (with one text parameter) selects. */
  public static List<Row> query(String sql, String parameter) throws SQLException {
    try (Connection c = connect();
        var statement = c.prepareStatement(sql)) {
      statement.setString(1, parameter);
      try (ResultSet rs = statement.executeQuery()) {
        List<Row> rows = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          Map<String, String> columns = new LinkedHashMap<>();
          for (int i = 1; i <= n; i++) {
            columns.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
          }
          rows.add(new Row(columns));
        }
        return rows;
      }
    }
  }

  /**
   * Polls until the query's rows satisfy {@code done}, for spans that the exporter writes
   * asynchronously; fails after the deadline with the last rows seen (Awaitility's timeout names
   * the predicate's last input). A failing query fails at once with its own exception.
   */
  public static List<Row> await(
      String sql, String parameter, Predicate<List<Row>> done, Duration deadline)
      throws SQLException {
    return Awaitility.await("spans in execution_traces as expected")
        .atMost(deadline)
        .pollDelay(Duration.ZERO)
        .pollInterval(POLL)
        .until(() -> query(sql, parameter), done);
  }
}
