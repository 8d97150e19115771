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

/** Reads {@code execution_traces} of the integration-test database, as a user's SQL would. */
public final class SpanTable {

  private SpanTable() {}

  /** A connection to the integration-test database. */
  public static Connection connect() throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:5432/" + System.getProperty("aard.it.db.name", "aard_it"),
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
   * asynchronously; fails after the deadline with the last rows seen.
   */
  public static List<Row> await(
      String sql, String parameter, Predicate<List<Row>> done, Duration deadline)
      throws SQLException, InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    List<Row> rows = query(sql, parameter);
    while (!done.test(rows)) {
      if (System.nanoTime() > end) {
        throw new AssertionError("spans not as expected within " + deadline + ": " + rows);
      }
      // A short pause between polls of the deadline-bounded loop.
      java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
      rows = query(sql, parameter);
    }
    return rows;
  }
}
