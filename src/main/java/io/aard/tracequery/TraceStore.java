package io.aard.tracequery;

import io.aard.tracequery.TraceViews.DurationStats;
import io.aard.tracequery.TraceViews.GenAiUsage;
import io.aard.tracequery.TraceViews.Span;
import io.aard.tracequery.TraceViews.StatsGroup;
import io.aard.tracequery.TraceViews.StatsSummary;
import io.aard.tracequery.TraceViews.TraceList;
import io.aard.tracequery.TraceViews.TraceSummary;
import io.aard.web.ApiException;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Reads {@code execution_traces} with hand-written SQL shaped for the indexes of {@code
 * V3__trace_query_indexes.sql} and {@code V4__error_span_covering_index.sql}.
 *
 * <h2>Which trace a search lists, and in which order</h2>
 *
 * A trace is listed once its <em>root span</em> is stored: the span without a parent, or the first
 * SERVER span whose parent is not stored (a trace continued from a caller's {@code traceparent}).
 * Traces are ordered newest first by the key {@code (root start_time, trace_id)}, both descending,
 * and a cursor is that key of a page's last trace.
 *
 * <p>This key never changes once a trace is listed: spans are written once (a retried batch leaves
 * one row), the root's start is fixed, and the spans that arrive later (children end, and are
 * exported, before their parent) do not move it. So walking {@code next_cursor} never repeats a
 * trace, and it returns every matching trace whose root was stored before the walk passed its
 * position; a trace whose root (or first matching span) arrives after the walk passed its position
 * is new to the walk, as a trace newer than its first page is. Search results never depend on a
 * wall clock.
 *
 * <h2>How a search runs</h2>
 *
 * Two plans, chosen per request. A search by task, plan or attribute (few spans, found through
 * their b-tree or GIN index) collects the matching traces first and then sorts their roots ({@link
 * Plan#MATCH_FIRST}). Any other search walks the roots newest first through the partial root index
 * and checks each root's trace for a matching span, stopping at a page ({@link Plan#ROOTS_FIRST});
 * when the planner estimates that its span filters match few spans (at most {@value
 * #MATCH_FIRST_MAX_SPANS}) the first plan is used instead, so that a rare status or agent does not
 * walk many roots for nothing.
 */
@ApplicationScoped
public class TraceStore {

  /** Above this many matching spans (estimated) a search walks roots instead of collecting. */
  static final int MATCH_FIRST_MAX_SPANS = 2000;

  private static final String ROOT = "(r.parent_span_id IS NULL OR r.span_kind = 'SERVER')";
  /**
   * A root candidate {@code r} is the trace's root when it has no parent, or when its parent is not
   * stored and no root candidate of the trace starts before it: a caller that calls AARD twice in
   * one trace leaves two SERVER spans with unstored parents, and the trace is listed once, by the
   * first (both probes are index-only, and only spans with a parent pay them).
   */
  private static final String ROOT_PARENT_NOT_STORED =
      "(r.parent_span_id IS NULL OR (NOT EXISTS (SELECT 1 FROM execution_traces p"
          + " WHERE p.trace_id = r.trace_id AND p.span_id = r.parent_span_id"
          + " AND p.start_time <= r.start_time)"
          + " AND NOT EXISTS (SELECT 1 FROM execution_traces q WHERE q.trace_id = r.trace_id"
          + " AND (q.parent_span_id IS NULL OR q.span_kind = 'SERVER')"
          + " AND (q.start_time, q.span_id) < (r.start_time, r.span_id))))";
  private static final String SPAN_COLUMNS =
      "trace_id, span_id, parent_span_id, operation_name, service_name, span_kind, start_time,"
          + " end_time, duration_ms, status, status_message, task_id, plan_id, agent_id, tool_id,"
          + " input_tokens, output_tokens, attributes::text AS attributes, events::text AS events,"
          + " resource::text AS resource";

  private static final Logger LOG = Logger.getLogger(TraceStore.class.getName());
  private static final String STATEMENT_TIMEOUT = "30s";
  private static final String PERCENTILES =
      "percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY d)";
  private static final String SETTINGS =
      "SET LOCAL jit = off; SET LOCAL plan_cache_mode = force_custom_plan;"
          + " SET LOCAL statement_timeout = '"
          + STATEMENT_TIMEOUT
          + "'";
  private static final Pattern PLAN_ROWS = Pattern.compile("\"Plan Rows\": ([0-9.eE+]+)");
  private static final String QUERY_CANCELED = "57014";

  /**
   * Reads the jsonb columns. {@code Json.createReader} looks the provider up (a ServiceLoader scan
   * of the class loaders) on every call, three times a span; it showed in a profile of trace reads.
   */
  private static final JsonReaderFactory JSON_READERS =
      JsonProvider.provider().createReaderFactory(Map.of());

  /** Every span of one trace, ordered by start; the PRIMARY KEY's leading column finds them. */
  static final String SPANS_SQL =
      "SELECT "
          + SPAN_COLUMNS
          + " FROM execution_traces WHERE trace_id = ? ORDER BY start_time, span_id";

  /** The two ways of answering a search; see the class comment. */
  enum Plan {
    MATCH_FIRST,
    ROOTS_FIRST
  }

  @Resource(lookup = "jdbc/aard")
  DataSource dataSource;

  /**
   * Runs the statistics' overall percentiles and trace count beside the grouped statement; {@code
   * null} (outside a server) runs them first, on the calling thread.
   */
  @Resource ManagedExecutorService executor;

  /** One page of a search, newest first. */
  TraceList search(TraceParams.Search search) {
    try (Connection c = dataSource.getConnection()) {
      return inTransaction(c, false, () -> searchIn(c, search, choosePlan(c, search.filter())));
    } catch (SQLException e) {
      throw failure("searching traces", e);
    }
  }

  /** Every span of a trace, ordered by start; empty when the trace is unknown. */
  List<Span> spans(String traceId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(SPANS_SQL)) {
      ps.setString(1, traceId);
      List<Span> spans = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          spans.add(span(rs));
        }
      }
      return spans;
    } catch (SQLException e) {
      throw failure("reading trace " + traceId, e);
    }
  }

  /**
   * Span statistics over the filter's window, overall and per {@code groupBy} value. Three
   * statements read the window: the groups, the overall percentiles (one sort of every duration)
   * and the trace count; the last two run meanwhile on connections (and cores) of their own.
   */
  StatsSummary stats(TraceParams.Stats request) {
    CompletableFuture<Double[]> percentiles =
        async(() -> query(overallPercentilesSql(request), rs -> percentiles(rs.getArray(1))));
    CompletableFuture<Long> traces =
        async(() -> query(traceCountSql(request), rs -> rs.getLong(1)));
    StatsSummary stats;
    try (Connection c = dataSource.getConnection()) {
      stats = inTransaction(c, true, () -> statsIn(c, request.filter(), statsSql(request)));
    } catch (SQLException e) {
      percentiles.cancel(true);
      traces.cancel(true);
      throw failure("computing trace statistics", e);
    }
    return stats.withOverall(join(percentiles), join(traces));
  }

  /** Runs {@code work} on the managed executor, or here when there is none (outside a server). */
  private <T> CompletableFuture<T> async(Supplier<T> work) {
    return executor == null
        ? CompletableFuture.completedFuture(work.get())
        : executor.supplyAsync(work);
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** The one row of an aggregate statement, read in a transaction of its own. */
  private <T> T query(Sql sql, RowReader<T> reader) {
    try (Connection c = dataSource.getConnection()) {
      return inTransaction(
          c,
          true,
          () -> {
            try (PreparedStatement ps = sql.prepare(c);
                ResultSet rs = ps.executeQuery()) {
              rs.next();
              return reader.read(rs);
            }
          });
    } catch (SQLException e) {
      throw failure("computing trace statistics", e);
    }
  }

  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /**
   * The statement of the statistics. The window's spans are read once (index-only through the stats
   * index) and hash-grouped, each group keeping its durations in an array; percentiles then sort
   * each group's array, which is cheaper than sorting the window by group. Rows: one per group
   * ({@code kind} 0) and the overall row (1), whose percentiles {@link #overallPercentilesSql}
   * gives.
   */
  static Sql statsSql(TraceParams.Stats request) {
    Sql where = spanWindow(request.filter());
    Sql sql = new Sql();
    sql.append("WITH g AS MATERIALIZED (SELECT s.").append(request.groupBy().column());
    sql.append("::text AS key, count(*) AS n, count(*) FILTER (WHERE s.status = 'ERROR') AS e,");
    sql.append(" sum(s.duration_ms) AS total, max(s.duration_ms) AS longest,");
    sql.append(" coalesce(sum(s.input_tokens), 0) AS input_tokens,");
    sql.append(" coalesce(sum(s.output_tokens), 0) AS output_tokens,");
    sql.append(" array_agg(s.duration_ms) AS durations");
    sql.append(where).append(" GROUP BY 1)");
    sql.append(" SELECT 0 AS kind, key, n AS span_count, e AS error_count, total / n AS avg_ms,");
    sql.append(" longest AS max_ms, (SELECT ")
        .append(PERCENTILES)
        .append(" FROM unnest(durations)");
    sql.append(" AS d) AS percentiles, input_tokens, output_tokens FROM g");
    sql.append(" UNION ALL SELECT 1, NULL, sum(n), sum(e), sum(total) / sum(n), max(longest),");
    sql.append(" NULL, sum(input_tokens), sum(output_tokens) FROM g");
    return sql;
  }

  /** The statement of the overall percentiles: one sort of the window's durations. */
  static Sql overallPercentilesSql(TraceParams.Stats request) {
    return new Sql()
        .append("SELECT percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP")
        .append(" (ORDER BY s.duration_ms)")
        .append(spanWindow(request.filter()));
  }

  /** The statement counting the traces that the statistics' spans belong to. */
  static Sql traceCountSql(TraceParams.Stats request) {
    return new Sql()
        .append("SELECT count(*) FROM (SELECT s.trace_id")
        .append(spanWindow(request.filter()))
        .append(" GROUP BY s.trace_id) AS t");
  }

  /** {@code FROM ... WHERE ...} of the spans that statistics cover. */
  private static Sql spanWindow(TraceFilter f) {
    Sql where = new Sql();
    where.append(" FROM execution_traces s WHERE s.start_time >= ?", f.from());
    where.append(" AND s.start_time < ?", f.to());
    spanFilters(where, "s", f);
    if (f.minDurationMs() != null) {
      where.append(" AND s.duration_ms >= ?", f.minDurationMs());
    }
    if (f.maxDurationMs() != null) {
      where.append(" AND s.duration_ms <= ?", f.maxDurationMs());
    }
    return where;
  }

  private StatsSummary statsIn(Connection c, TraceFilter f, Sql sql) throws SQLException {
    long spanCount = 0;
    long errorCount = 0;
    DurationStats durations = new DurationStats(null, null, null, null, null);
    GenAiUsage tokens = new GenAiUsage(0, 0);
    List<StatsGroup> groups = new ArrayList<>();
    try (PreparedStatement ps = sql.prepare(c);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long count = rs.getLong("span_count");
        int kind = rs.getInt("kind");
        long errors = rs.getLong("error_count");
        Double[] p = percentiles(rs.getArray("percentiles"));
        DurationStats d =
            new DurationStats(
                nullableDouble(rs, "avg_ms"), p[0], p[1], p[2], nullableDouble(rs, "max_ms"));
        GenAiUsage g = new GenAiUsage(rs.getLong("input_tokens"), rs.getLong("output_tokens"));
        if (kind == 1) {
          spanCount = count;
          errorCount = errors;
          durations = d;
          tokens = g;
        } else {
          groups.add(new StatsGroup(rs.getString("key"), count, errors, rate(errors, count), d, g));
        }
      }
    }
    groups.sort(
        Comparator.comparingLong(StatsGroup::spanCount)
            .reversed()
            .thenComparing(StatsGroup::key, Comparator.nullsLast(Comparator.naturalOrder())));
    return new StatsSummary(
        f.from(),
        f.to(),
        spanCount,
        0,
        errorCount,
        rate(errorCount, spanCount),
        durations,
        tokens,
        List.copyOf(groups));
  }

  /** Chooses how to answer a search; see the class comment. */
  static Plan choosePlan(Connection c, TraceFilter f) throws SQLException {
    if (!needsEstimate(f)) {
      // Task, plan and attribute filters match few spans, found through their own index.
      return f.hasSpanFilter() ? Plan.MATCH_FIRST : Plan.ROOTS_FIRST;
    }
    try (PreparedStatement ps = matchEstimateSql(f).prepare(c);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      Matcher rows = PLAN_ROWS.matcher(rs.getString(1));
      double estimate = rows.find() ? Double.parseDouble(rows.group(1)) : Double.MAX_VALUE;
      return estimate > MATCH_FIRST_MAX_SPANS ? Plan.ROOTS_FIRST : Plan.MATCH_FIRST;
    }
  }

  /** Whether choosing the plan takes {@link #matchEstimateSql}: span filters other than those. */
  static boolean needsEstimate(TraceFilter f) {
    return f.hasSpanFilter()
        && f.taskId() == null
        && f.planId() == null
        && f.attributes().isEmpty();
  }

  /**
   * The planner's estimate of the spans a search's span filters match (not run: planning only, with
   * the values bound, see {@code plan_cache_mode} in {@link #SETTINGS}).
   */
  static Sql matchEstimateSql(TraceFilter f) {
    Sql sql = new Sql();
    sql.append("EXPLAIN (FORMAT JSON) SELECT 1 FROM execution_traces s WHERE true");
    spanFilters(sql, "s", f);
    if (f.from() != null) {
      sql.append(" AND s.start_time >= ?", f.from());
    }
    return sql;
  }

  /** A search page with a given plan; both plans give the same answer. */
  TraceList searchIn(Connection c, TraceParams.Search search, Plan plan) throws SQLException {
    TraceFilter f = search.filter();
    Sql sql = searchSql(search, plan);
    List<TraceSummary> traces = new ArrayList<>();
    try (PreparedStatement ps = sql.prepare(c);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        long errors = rs.getLong("error_count");
        SpanStatus rootStatus = SpanStatus.valueOf(rs.getString("status"));
        traces.add(
            new TraceSummary(
                rs.getString("trace_id"),
                rs.getString("operation_name"),
                rs.getString("service_name"),
                instant(rs, "start_time"),
                instant(rs, "end_time"),
                rs.getDouble("duration_ms"),
                rs.getLong("span_count"),
                errors,
                errors > 0 ? SpanStatus.ERROR : rootStatus,
                rs.getObject("task_id", UUID.class),
                rs.getObject("plan_id", UUID.class)));
      }
    }
    String next = null;
    if (traces.size() > search.limit()) {
      traces = traces.subList(0, search.limit());
      TraceSummary last = traces.get(traces.size() - 1);
      next =
          TraceCursor.encode(
              new TraceCursor.Position(last.startTime(), last.traceId()), f.fingerprint());
    }
    return new TraceList(List.copyOf(traces), next);
  }

  /**
   * The statement of one search page: a CTE {@code page} choosing the page's roots (one more than
   * the limit, to know whether there is a next page), then their summaries.
   */
  static Sql searchSql(TraceParams.Search search, Plan plan) {
    TraceFilter f = search.filter();
    Sql sql = new Sql();
    if (plan == Plan.MATCH_FIRST) {
      sql.append("WITH m AS MATERIALIZED (SELECT DISTINCT s.trace_id FROM execution_traces s");
      sql.append(" WHERE true");
      spanFilters(sql, "s", f);
      if (f.from() != null) {
        // Every span starts at or after its trace's root, so this only prunes.
        sql.append(" AND s.start_time >= ?", f.from());
      }
      // The lateral subquery (kept apart by OFFSET 0) makes each matching trace probe for its
      // root, instead of letting the planner walk all roots in order looking for matches.
      sql.append("), page AS MATERIALIZED (SELECT r.trace_id, r.span_id, r.start_time");
      sql.append(" FROM m CROSS JOIN LATERAL (SELECT r.trace_id, r.span_id, r.start_time,");
      sql.append(" r.parent_span_id, r.duration_ms FROM execution_traces r");
      sql.append(" WHERE r.trace_id = m.trace_id AND ").append(ROOT).append(" OFFSET 0) AS r");
      sql.append(" WHERE true");
    } else {
      sql.append("WITH page AS MATERIALIZED (SELECT r.trace_id, r.span_id, r.start_time");
      sql.append(" FROM execution_traces r");
      if (f.hasSpanFilter()) {
        sql.append(" CROSS JOIN LATERAL (SELECT 1 FROM execution_traces s");
        sql.append(" WHERE s.trace_id = r.trace_id AND s.start_time >= r.start_time");
        spanFilters(sql, "s", f);
        sql.append(" LIMIT 1) AS m");
      }
      sql.append(" WHERE ").append(ROOT);
    }
    if (f.from() != null) {
      sql.append(" AND r.start_time >= ?", f.from());
    }
    if (f.to() != null) {
      sql.append(" AND r.start_time < ?", f.to());
    }
    if (f.minDurationMs() != null) {
      sql.append(" AND r.duration_ms >= ?", f.minDurationMs());
    }
    if (f.maxDurationMs() != null) {
      sql.append(" AND r.duration_ms <= ?", f.maxDurationMs());
    }
    if (search.after() != null) {
      sql.append(" AND (r.start_time, r.trace_id) < (?", search.after().startTime());
      sql.append(", ?)", search.after().traceId());
    }
    sql.append(" AND ").append(ROOT_PARENT_NOT_STORED);
    sql.append(" ORDER BY r.start_time DESC, r.trace_id DESC LIMIT ?)", search.limit() + 1);
    sql.append(" SELECT r.trace_id, r.operation_name, r.service_name, r.start_time, r.end_time,");
    sql.append(" r.duration_ms, r.status, coalesce(r.task_id, a.task_id) AS task_id,");
    sql.append(" coalesce(r.plan_id, a.plan_id) AS plan_id, a.span_count, a.error_count");
    sql.append(" FROM page JOIN execution_traces r ON r.trace_id = page.trace_id");
    sql.append(" AND r.span_id = page.span_id AND r.start_time = page.start_time");
    sql.append(" CROSS JOIN LATERAL (SELECT count(*) AS span_count,");
    sql.append(" count(*) FILTER (WHERE x.status = 'ERROR') AS error_count,");
    sql.append(" (array_agg(x.task_id) FILTER (WHERE x.task_id IS NOT NULL))[1] AS task_id,");
    sql.append(" (array_agg(x.plan_id) FILTER (WHERE x.plan_id IS NOT NULL))[1] AS plan_id");
    sql.append(" FROM execution_traces x WHERE x.trace_id = page.trace_id) AS a");
    sql.append(" ORDER BY r.start_time DESC, r.trace_id DESC");
    return sql;
  }

  /** The span-level filters, each a condition on the span aliased {@code a}. */
  private static void spanFilters(Sql sql, String a, TraceFilter f) {
    if (f.taskId() != null) {
      sql.append(" AND " + a + ".task_id = ?", f.taskId());
    }
    if (f.planId() != null) {
      sql.append(" AND " + a + ".plan_id = ?", f.planId());
    }
    if (f.agentId() != null) {
      sql.append(" AND " + a + ".agent_id = ?", f.agentId());
    }
    if (f.toolId() != null) {
      sql.append(" AND " + a + ".tool_id = ?", f.toolId());
    }
    if (f.status() != null) {
      sql.append(" AND " + a + ".status = ?", f.status().name());
    }
    if (f.operationName() != null) {
      sql.append(" AND " + a + ".operation_name = ?", f.operationName());
    }
    if (f.serviceName() != null) {
      sql.append(" AND " + a + ".service_name = ?", f.serviceName());
    }
    for (AttributeFilter attribute : f.attributes()) {
      sql.append(" AND (");
      for (int i = 0; i < attribute.candidates().size(); i++) {
        sql.append(i == 0 ? "" : " OR ");
        sql.append(a + ".attributes @> ?::jsonb", attribute.candidates().get(i));
      }
      sql.append(")");
    }
  }

  /**
   * What a failed statement becomes: a 503 naming the cause when it ran past the statement timeout;
   * otherwise a failure for {@code ErrorMapper} to classify, as for every other request (a 503 with
   * {@code Retry-After} when PostgreSQL cannot be reached, a logged 500 for anything else).
   */
  private static RuntimeException failure(String what, SQLException e) {
    if (QUERY_CANCELED.equals(e.getSQLState())) {
      LOG.log(Level.WARNING, what + " took longer than " + STATEMENT_TIMEOUT, e);
      return new ApiException(
          503, what + " took too long: narrow it, e.g. with start_time_from", null);
    }
    return new IllegalStateException(what + " failed", e);
  }

  /** Runs {@code work} in a transaction with JIT off (its compile time dwarfs these queries). */
  private static <T> T inTransaction(Connection c, boolean aggregate, SqlWork<T> work)
      throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      try (var settings = c.createStatement()) {
        settings.execute(aggregate ? SETTINGS + "; SET LOCAL work_mem = '64MB'" : SETTINGS);
      }
      T result = work.run();
      c.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T run() throws SQLException;
  }

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
        rs.getObject("task_id", UUID.class),
        rs.getObject("plan_id", UUID.class),
        rs.getObject("agent_id", UUID.class),
        rs.getObject("tool_id", UUID.class),
        nullableLong(rs, "input_tokens"),
        nullableLong(rs, "output_tokens"),
        json(rs.getString("attributes")),
        json(rs.getString("events")),
        json(rs.getString("resource")));
  }

  private static JsonValue json(String text) {
    if (text == null) {
      return JsonValue.NULL;
    }
    try (var reader = JSON_READERS.createReader(new StringReader(text))) {
      return reader.readValue();
    }
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static Double nullableDouble(ResultSet rs, String column) throws SQLException {
    double value = rs.getDouble(column);
    return rs.wasNull() ? null : value;
  }

  private static Double[] percentiles(Array array) throws SQLException {
    Double[] out = new Double[3];
    if (array != null) {
      Object[] values = (Object[]) array.getArray();
      for (int i = 0; i < out.length && i < values.length; i++) {
        out[i] = values[i] == null ? null : ((Number) values[i]).doubleValue();
      }
    }
    return out;
  }

  private static double rate(long errors, long count) {
    return count == 0 ? 0.0 : (double) errors / count;
  }

  /** SQL text with its parameters, bound in order; values never enter the text. */
  static final class Sql {
    private final StringBuilder text = new StringBuilder(1024);
    private final List<Object> values = new ArrayList<>();

    Sql append(String fragment) {
      text.append(fragment);
      return this;
    }

    Sql append(Sql other) {
      text.append(other.text);
      values.addAll(other.values);
      return this;
    }

    Sql append(String fragment, Object value) {
      text.append(fragment);
      values.add(value instanceof Instant i ? OffsetDateTime.ofInstant(i, ZoneOffset.UTC) : value);
      return this;
    }

    String text() {
      return text.toString();
    }

    List<Object> values() {
      return values;
    }

    PreparedStatement prepare(Connection c) throws SQLException {
      PreparedStatement ps = c.prepareStatement(text.toString());
      try {
        for (int i = 0; i < values.size(); i++) {
          ps.setObject(i + 1, values.get(i));
        }
        return ps;
      } catch (SQLException e) {
        ps.close();
        throw e;
      }
    }
  }
}
