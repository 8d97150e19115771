package io.aard.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * The same insert as {@link JpaSpanInserter}, on a plain connection of the data source. Used only
 * while the application stops: the SDK's last export can arrive after CDI and the persistence unit
 * are gone, and those spans must still reach the table.
 */
final class JdbcSpanInserter implements SpanInserter {

  private final DataSource dataSource;

  JdbcSpanInserter(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void write(List<SpanRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    String[][] columns = JpaSpanInserter.columns(rows);
    try (Connection c = dataSource.getConnection();
        var insert = c.prepareStatement(JpaSpanInserter.INSERT)) {
      for (int i = 0; i < SpanRow.COLUMNS; i++) {
        insert.setArray(i + 1, c.createArrayOf("text", columns[i]));
      }
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("writing spans failed: " + e.getMessage(), e);
    }
  }
}
