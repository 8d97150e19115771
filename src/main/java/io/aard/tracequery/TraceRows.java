package io.aard.tracequery;

import io.aard.pricing.Money;
import io.aard.tracequery.TraceViews.Span;
import io.aard.tracequery.TraceViews.SpanList;
import io.aard.tracequery.TraceViews.TraceSummary;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Reads a trace's spans, and turns the rows of the read side's statements into views: a nullable
 * token count or duration stays {@code null} rather than 0, and a timestamp becomes an {@link
 * Instant}.
 */
final class TraceRows {

  /**
   * Reads the jsonb columns. {@code Json.createReader} looks the provider up (a ServiceLoader scan
   * of the class loaders) on every call, three times a span; it showed in a profile of trace reads.
   */
  private static final JsonReaderFactory JSON_READERS =
      JsonProvider.provider().createReaderFactory(Map.of());

  /**
   * The order of a trace's spans in every read: start, then span id as Java compares strings, which
   * for span ids (16 lowercase hex characters) is {@link TraceSql#spanPage}'s byte order.
   */
  static final Comparator<Span> ORDER =
      Comparator.comparing(Span::startTime).thenComparing(Span::spanId);

  private final DataSource dataSource;

  TraceRows(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * The first {@code max} spans of a trace in the order of {@code /spans} (start, then span id)
   * and, when it has more, the whole trace's counts and the cursor of the rest: one read
   * transaction, under the statement timeout. Empty spans when the trace is unknown.
   */
  FirstSpans first(String traceId, int max) {
    try (Connection c = dataSource.getConnection()) {
      return TraceTransactions.inTransaction(
          c,
          false,
          () -> {
            SpanList page = page(c, traceId, null, max);
            if (page.nextCursor() == null) {
              return new FirstSpans(page.spans(), null);
            }
            try (PreparedStatement ps = TraceSql.spanCounts(traceId).prepare(c);
                ResultSet rs = ps.executeQuery()) {
              rs.next();
              return new FirstSpans(
                  page.spans(),
                  new TraceTree.Cut(
                      rs.getLong("span_count"),
                      rs.getLong("error_count"),
                      rs.getLong("input_tokens"),
                      rs.getLong("output_tokens"),
                      rs.getBigDecimal("cost_usd"),
                      page.nextCursor()));
            }
          });
    } catch (SQLException e) {
      throw TraceTransactions.failure("reading trace " + traceId, e);
    }
  }

  /**
   * The spans a trace read returns.
   *
   * @param spans at most the read's bound, ordered by start, then span id
   * @param cut {@code null} when {@code spans} is the whole trace
   */
  record FirstSpans(List<Span> spans, TraceTree.Cut cut) {}

  /**
   * At most {@code limit} spans of a trace after {@code after} ({@code null}: from its first) in
   * the order start, then span id, with the cursor of the next page when more follow: one read
   * transaction, under the statement timeout.
   */
  SpanList page(String traceId, TraceCursor.SpanPosition after, int limit) {
    try (Connection c = dataSource.getConnection()) {
      return TraceTransactions.inTransaction(c, false, () -> page(c, traceId, after, limit));
    } catch (SQLException e) {
      throw TraceTransactions.failure("reading trace " + traceId, e);
    }
  }

  /**
   * A page of spans: one row more than {@code limit} is read, to know whether another page follows;
   * then the last span's position becomes the cursor, bound to the trace.
   */
  private static SpanList page(
      Connection c, String traceId, TraceCursor.SpanPosition after, int limit) throws SQLException {
    List<Span> spans = new ArrayList<>();
    try (PreparedStatement ps = TraceSql.spanPage(traceId, after, limit + 1L).prepare(c);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        spans.add(span(rs));
      }
    }
    spans.sort(ORDER);
    if (spans.size() <= limit) {
      return new SpanList(spans, null);
    }
    spans.remove(spans.size() - 1);
    Span last = spans.get(spans.size() - 1);
    return new SpanList(
        spans,
        TraceCursor.encodeSpan(
            new TraceCursor.SpanPosition(last.startTime(), last.spanId()), traceId));
  }

  /** A row of {@link TraceSql#spanPage}. */
  static Span span(ResultSet rs) throws SQLException {
    return new Span(
        rs.getString("trace_id"),
        rs.getString("span_id"),
        rs.getString("parent_span_id"),
        rs.getString("operation_name"),
        rs.getString("service_name"),
        rs.getString("span_kind"),
        instant(rs, "start_time"),
        instant(rs, "end_time"),
        rs.getDouble("duration_ms"),
        SpanStatus.valueOf(rs.getString("status")),
        rs.getString("status_message"),
        rs.getString("task_id"),
        rs.getString("plan_id"),
        rs.getString("agent_id"),
        rs.getString("tool_id"),
        nullableLong(rs, "input_tokens"),
        nullableLong(rs, "output_tokens"),
        rs.getString("model"),
        rs.getString("session_id"),
        money(rs, "cost_usd"),
        json(rs.getString("attributes")),
        json(rs.getString("events")),
        json(rs.getString("resource")));
  }

  /**
   * A row of {@link TraceSql#search}: the root span's columns and its trace's counts. A trace with
   * an error span is an error, whatever its root's status.
   */
  static TraceSummary summary(ResultSet rs) throws SQLException {
    long errors = rs.getLong("error_count");
    SpanStatus rootStatus = SpanStatus.valueOf(rs.getString("status"));
    return new TraceSummary(
        rs.getString("trace_id"),
        rs.getString("operation_name"),
        rs.getString("service_name"),
        instant(rs, "start_time"),
        instant(rs, "end_time"),
        rs.getDouble("duration_ms"),
        rs.getLong("span_count"),
        errors,
        errors > 0 ? SpanStatus.ERROR : rootStatus,
        rs.getString("task_id"),
        rs.getString("plan_id"),
        rs.getString("session_id"),
        rs.getLong("input_tokens"),
        rs.getLong("output_tokens"),
        money(rs, "cost_usd"));
  }

  /** An amount of money, exact, without the trailing zeros of its scale; {@code null} stays. */
  static BigDecimal money(ResultSet rs, String column) throws SQLException {
    return Money.plain(rs.getBigDecimal(column));
  }

  /** The p50, p95 and p99 of a {@code percentile_cont} array; {@code null}s when it is null. */
  static Double[] percentiles(Array array) throws SQLException {
    Double[] out = new Double[3];
    if (array != null) {
      Object[] values = (Object[]) array.getArray();
      for (int i = 0; i < out.length && i < values.length; i++) {
        out[i] = values[i] == null ? null : ((Number) values[i]).doubleValue();
      }
    }
    return out;
  }

  static Double nullableDouble(ResultSet rs, String column) throws SQLException {
    double value = rs.getDouble(column);
    return rs.wasNull() ? null : value;
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static JsonValue json(String text) {
    if (text == null) {
      return JsonValue.NULL;
    }
    try (var reader = JSON_READERS.createReader(new StringReader(text))) {
      return reader.readValue();
    }
  }
}
