package io.aard.tracequery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements of the read side, as SQL text with its parameters bound in order: values never
 * enter the text. The statements are shaped for the indexes of {@code V3__trace_query_indexes.sql}
 * and {@code V4__error_span_covering_index.sql}; which trace a search lists, in which order, and
 * why its cursor is stable is stated on {@link TraceSearch}.
 *
 * <p>An instance is one statement being built: {@link #append} adds text, and a value for each
 * {@code ?} the text holds, so that text and values cannot drift apart.
 */
final class TraceSql {

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

  /** Every column of a span aliased {@code t}, the jsonb ones as text (see TraceRows). */
  private static final String SPAN_COLUMNS =
      "t.trace_id, t.span_id, t.parent_span_id, t.operation_name, t.service_name, t.span_kind,"
          + " t.start_time, t.end_time, t.duration_ms, t.status, t.status_message, t.task_id,"
          + " t.plan_id, t.agent_id, t.tool_id, t.input_tokens, t.output_tokens, t.model, t.session_id, t.cost_usd,"
          + " t.attributes::text AS attributes, t.events::text AS events,"
          + " t.resource::text AS resource";

  private static final String PERCENTILES =
      "percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY d)";

  private final StringBuilder text = new StringBuilder(1024);
  private final List<Object> values = new ArrayList<>();

  /** Appends text that binds no value. */
  TraceSql append(String fragment) {
    text.append(fragment);
    return this;
  }

  /** Appends another statement's text and, after this one's, its values. */
  TraceSql append(TraceSql other) {
    text.append(other.text);
    values.addAll(other.values);
    return this;
  }

  /**
   * Appends text holding one {@code ?} and the value it binds; an {@link Instant} is bound as a UTC
   * {@link OffsetDateTime}, the type the driver maps to {@code timestamptz}.
   */
  TraceSql append(String fragment, Object value) {
    text.append(fragment);
    values.add(value instanceof Instant i ? OffsetDateTime.ofInstant(i, ZoneOffset.UTC) : value);
    return this;
  }

  String text() {
    return text.toString();
  }

  /** The values in the order of their {@code ?}; mutable, so that a benchmark can rebind them. */
  List<Object> values() {
    return values;
  }

  /** The statement prepared on {@code c} with every value bound; closed again if binding fails. */
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

  /**
   * The statement of one search page: a CTE {@code page} choosing the page's roots (one more than
   * the limit, to know whether there is a next page), then their summaries. Both plans order by the
   * key {@code (root start_time, trace_id)} descending and continue strictly after the cursor's
   * key, so the plan never changes the answer.
   */
  static TraceSql search(TraceParams.Search search, TraceSearch.Plan plan) {
    TraceFilter f = search.filter();
    TraceSql sql = new TraceSql();
    if (plan == TraceSearch.Plan.MATCH_FIRST) {
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
    sql.append(" coalesce(r.plan_id, a.plan_id) AS plan_id,");
    sql.append(" coalesce(r.session_id, a.session_id) AS session_id, a.span_count, a.error_count,");
    sql.append(" a.input_tokens, a.output_tokens, a.cost_usd");
    sql.append(" FROM page JOIN execution_traces r ON r.trace_id = page.trace_id");
    sql.append(" AND r.span_id = page.span_id AND r.start_time = page.start_time");
    // Sums over the page's traces only: the rows this lateral reads anyway for the counts.
    sql.append(" CROSS JOIN LATERAL (SELECT count(*) AS span_count,");
    sql.append(" count(*) FILTER (WHERE x.status = 'ERROR') AS error_count,");
    sql.append(" (array_agg(x.task_id) FILTER (WHERE x.task_id IS NOT NULL))[1] AS task_id,");
    sql.append(" (array_agg(x.plan_id) FILTER (WHERE x.plan_id IS NOT NULL))[1] AS plan_id,");
    sql.append(" (array_agg(x.session_id) FILTER (WHERE x.session_id IS NOT NULL))[1]");
    sql.append(" AS session_id, coalesce(sum(x.input_tokens), 0) AS input_tokens,");
    sql.append(" coalesce(sum(x.output_tokens), 0) AS output_tokens, sum(x.cost_usd) AS cost_usd");
    sql.append(" FROM execution_traces x WHERE x.trace_id = page.trace_id) AS a");
    sql.append(" ORDER BY r.start_time DESC, r.trace_id DESC");
    return sql;
  }

  /**
   * The statement of one page of sessions, newest first (see {@link SessionSearch}). A CTE {@code
   * f} walks the spans that carry a session id newest first (index-only, backwards through the
   * statistics index, which holds {@code session_id}) and keeps each session's first span: the one
   * with no earlier span of its session (one index-only probe of the session index). It orders by
   * the start alone, so that the walk follows the index and stops early, and takes {@code fetch}
   * rows with their ties, so that every session of the last start time read is there for {@link
   * SessionSearch} to order by its key {@code (start_time, md5(session_id))}. Then each distinct
   * session's {@link #sessionTotals totals}, and the number of rows {@code f} read.
   */
  static TraceSql sessions(TraceCursor.Position after, int fetch) {
    TraceSql sql = new TraceSql();
    sql.append("WITH f AS MATERIALIZED (SELECT s.start_time, s.session_id");
    sql.append(" FROM execution_traces s WHERE s.session_id IS NOT NULL");
    if (after != null) {
      sql.append(" AND s.start_time <= ?", after.startTime());
      sql.append(" AND (s.start_time < ?", after.startTime());
      sql.append(" OR decode(md5(s.session_id), 'hex') < decode(?, 'hex'))", after.traceId());
    }
    sql.append(" AND NOT EXISTS (SELECT 1 FROM execution_traces p");
    sql.append(" WHERE p.session_id = s.session_id AND p.start_time < s.start_time)");
    sql.append(" ORDER BY s.start_time DESC FETCH FIRST ? ROWS WITH TIES),", fetch);
    sql.append(" g AS MATERIALIZED (SELECT DISTINCT start_time, session_id FROM f)");
    sql.append(" SELECT g.start_time AS key_time, md5(g.session_id) AS key_hash,");
    sql.append(" (SELECT count(*) FROM f) AS fetched,");
    sessionTotals(sql, "g");
    return sql;
  }

  /** The statement of one session's totals: one row, with {@code trace_count} 0 when unknown. */
  static TraceSql session(String sessionId) {
    TraceSql sql = new TraceSql();
    sql.append("WITH g AS (SELECT ?::text AS session_id) SELECT", sessionId);
    sessionTotals(sql, "g");
    return sql;
  }

  /**
   * The totals of each session {@code <from>.session_id}: over the traces one of whose spans
   * carries the id (found through the session index), every span of each (found through the key).
   * The sums are over those traces only, never over the store.
   */
  private static void sessionTotals(TraceSql sql, String from) {
    sql.append(" " + from + ".session_id, a.trace_count, a.span_count, a.error_count,");
    sql.append(" a.first_time, a.last_time, a.input_tokens, a.output_tokens, a.cost_usd");
    sql.append(" FROM " + from);
    sql.append(" CROSS JOIN LATERAL (SELECT count(*) AS trace_count,");
    sql.append(" coalesce(sum(t.n), 0) AS span_count, coalesce(sum(t.e), 0) AS error_count,");
    sql.append(" min(t.first_start) AS first_time, max(t.last_end) AS last_time,");
    sql.append(" coalesce(sum(t.i), 0) AS input_tokens, coalesce(sum(t.o), 0) AS output_tokens,");
    sql.append(" sum(t.c) AS cost_usd FROM (SELECT DISTINCT x.trace_id FROM execution_traces x");
    sql.append(" WHERE x.session_id = " + from + ".session_id) AS st CROSS JOIN LATERAL (SELECT");
    sql.append(" count(*) AS n, count(*) FILTER (WHERE y.status = 'ERROR') AS e,");
    sql.append(" min(y.start_time) AS first_start, max(y.end_time) AS last_end,");
    sql.append(" sum(y.input_tokens) AS i, sum(y.output_tokens) AS o, sum(y.cost_usd) AS c");
    sql.append(" FROM execution_traces y WHERE y.trace_id = st.trace_id) AS t) AS a");
  }

  /**
   * The planner's estimate of the spans a search's span filters match (not run: planning only, with
   * the values bound, as the read transaction forces custom plans; see {@link TraceTransactions}).
   */
  static TraceSql matchEstimate(TraceFilter f) {
    TraceSql sql = new TraceSql();
    sql.append("EXPLAIN (FORMAT JSON) SELECT 1 FROM execution_traces s WHERE true");
    spanFilters(sql, "s", f);
    if (f.from() != null) {
      sql.append(" AND s.start_time >= ?", f.from());
    }
    return sql;
  }

  /**
   * At most {@code rows} spans of one trace, the first in the order {@code (start_time, span_id)}
   * strictly after {@code after} ({@code null}: from the first), in no particular order: the caller
   * sorts them ({@link TraceRows#ORDER}, the same order). The page's keys are chosen from the
   * primary key alone (an index-only scan of the trace's keys, kept apart by {@code OFFSET 0} so
   * that the planner does not walk a start-time index of the whole table instead), and only the
   * page's rows are then read whole, so that a trace of 100,000 fat spans is neither read nor
   * sorted whole for one page of it. Span ids compare as bytes ({@code COLLATE "C"}), as Java
   * compares them, whatever the database's collation.
   */
  static TraceSql spanPage(String traceId, TraceCursor.SpanPosition after, long rows) {
    TraceSql sql = new TraceSql();
    sql.append("WITH k AS MATERIALIZED (SELECT span_id, start_time FROM (SELECT span_id,");
    sql.append(" start_time FROM execution_traces WHERE trace_id = ?", traceId);
    if (after != null) {
      sql.append(" AND (start_time, span_id COLLATE \"C\") > (?", after.startTime());
      sql.append(", ?)", after.spanId());
    }
    sql.append(" OFFSET 0) AS s ORDER BY start_time, span_id COLLATE \"C\" LIMIT ?)", rows);
    sql.append(" SELECT ").append(SPAN_COLUMNS);
    sql.append(" FROM k JOIN execution_traces t ON t.trace_id = ?", traceId);
    sql.append(" AND t.span_id = k.span_id AND t.start_time = k.start_time");
    return sql;
  }

  /**
   * A trace's spans, ERROR spans, token and cost sums, for a read that was cut: one pass over the
   * trace's rows, found through the primary key.
   */
  static TraceSql spanCounts(String traceId) {
    return new TraceSql()
        .append(
            "SELECT count(*) AS span_count, count(*) FILTER (WHERE status = 'ERROR') AS error_count,"
                + " coalesce(sum(input_tokens), 0) AS input_tokens,"
                + " coalesce(sum(output_tokens), 0) AS output_tokens, sum(cost_usd) AS cost_usd"
                + " FROM execution_traces WHERE trace_id = ?",
            traceId);
  }

  /**
   * The statement of the statistics. The window's spans are read once (index-only through the stats
   * index) and hash-grouped, each group keeping its durations in an array; percentiles then sort
   * each group's array, which is cheaper than sorting the window by group. Rows: one per group
   * ({@code kind} 0) and the overall row (1), whose percentiles {@link #overallPercentiles} gives.
   */
  static TraceSql stats(TraceParams.Stats request) {
    TraceSql where = spanWindow(request.filter());
    TraceSql sql = new TraceSql();
    sql.append("WITH g AS MATERIALIZED (SELECT s.").append(request.groupBy().column());
    sql.append("::text AS key, count(*) AS n, count(*) FILTER (WHERE s.status = 'ERROR') AS e,");
    sql.append(" sum(s.duration_ms) AS total, max(s.duration_ms) AS longest,");
    sql.append(" coalesce(sum(s.input_tokens), 0) AS input_tokens,");
    sql.append(" coalesce(sum(s.output_tokens), 0) AS output_tokens,");
    sql.append(" sum(s.cost_usd) AS cost_usd, array_agg(s.duration_ms) AS durations");
    sql.append(where).append(" GROUP BY 1)");
    sql.append(" SELECT 0 AS kind, key, n AS span_count, e AS error_count, total / n AS avg_ms,");
    sql.append(" longest AS max_ms, (SELECT ")
        .append(PERCENTILES)
        .append(" FROM unnest(durations)");
    sql.append(" AS d) AS percentiles, input_tokens, output_tokens, cost_usd FROM g");
    sql.append(" UNION ALL SELECT 1, NULL, sum(n), sum(e), sum(total) / sum(n), max(longest),");
    sql.append(" NULL, sum(input_tokens), sum(output_tokens), sum(cost_usd) FROM g");
    return sql;
  }

  /** The statement of the overall percentiles: one sort of the window's durations. */
  static TraceSql overallPercentiles(TraceParams.Stats request) {
    return new TraceSql()
        .append("SELECT percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP")
        .append(" (ORDER BY s.duration_ms)")
        .append(spanWindow(request.filter()));
  }

  /** The statement counting the traces that the statistics' spans belong to. */
  static TraceSql traceCount(TraceParams.Stats request) {
    return new TraceSql()
        .append("SELECT count(*) FROM (SELECT s.trace_id")
        .append(spanWindow(request.filter()))
        .append(" GROUP BY s.trace_id) AS t");
  }

  /** {@code FROM ... WHERE ...} of the spans that statistics cover. */
  private static TraceSql spanWindow(TraceFilter f) {
    TraceSql where = new TraceSql();
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

  /** The span-level filters, each a condition on the span aliased {@code a}. */
  private static void spanFilters(TraceSql sql, String a, TraceFilter f) {
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
    if (f.sessionId() != null) {
      sql.append(" AND " + a + ".session_id = ?", f.sessionId());
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
}
