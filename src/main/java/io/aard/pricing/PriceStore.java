package io.aard.pricing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The rows of {@code model_prices}: read them all, write one, delete one. */
final class PriceStore {

  private static final String SELECT =
      "SELECT model, input_per_million, output_per_million, cached_input_per_million, source,"
          + " updated_at FROM model_prices ORDER BY model";

  /** {@code xmax = 0} only for a row this statement inserted, not one it updated. */
  private static final String UPSERT =
      "INSERT INTO model_prices AS p (model, input_per_million, output_per_million,"
          + " cached_input_per_million, source, updated_at) VALUES (?, ?, ?, ?, ?, now())"
          + " ON CONFLICT (model) DO UPDATE SET input_per_million = excluded.input_per_million,"
          + " output_per_million = excluded.output_per_million,"
          + " cached_input_per_million = excluded.cached_input_per_million,"
          + " source = excluded.source, updated_at = excluded.updated_at"
          + " RETURNING model, input_per_million, output_per_million, cached_input_per_million,"
          + " source, updated_at, (xmax = 0) AS inserted";

  private static final String DELETE = "DELETE FROM model_prices WHERE model = ?";

  /** What {@code PUT} did: the row as stored, and whether it is new. */
  record Written(ModelPrice price, boolean created) {}

  private final DataSource dataSource;

  PriceStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  List<ModelPrice> all() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(SELECT);
        ResultSet rs = ps.executeQuery()) {
      List<ModelPrice> prices = new ArrayList<>();
      while (rs.next()) {
        prices.add(price(rs));
      }
      return prices;
    }
  }

  Written put(String model, PriceInput input, String source) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(UPSERT)) {
      ps.setString(1, model);
      ps.setBigDecimal(2, input.inputPerMillion());
      ps.setBigDecimal(3, input.outputPerMillion());
      if (input.cachedInputPerMillion() == null) {
        ps.setNull(4, Types.NUMERIC);
      } else {
        ps.setBigDecimal(4, input.cachedInputPerMillion());
      }
      ps.setString(5, source);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new Written(price(rs), rs.getBoolean("inserted"));
      }
    }
  }

  boolean delete(String model) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(DELETE)) {
      ps.setString(1, model);
      return ps.executeUpdate() > 0;
    }
  }

  private static ModelPrice price(ResultSet rs) throws SQLException {
    return new ModelPrice(
        rs.getString("model"),
        Money.plain(rs.getBigDecimal("input_per_million")),
        Money.plain(rs.getBigDecimal("output_per_million")),
        Money.plain(rs.getBigDecimal("cached_input_per_million")),
        rs.getString("source"),
        rs.getObject("updated_at", OffsetDateTime.class).toInstant());
  }
}
