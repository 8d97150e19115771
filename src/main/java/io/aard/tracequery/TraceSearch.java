package io.aard.tracequery;

import io.aard.tracequery.TraceViews.TraceList;
import io.aard.tracequery.TraceViews.TraceSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * Searches traces: one page of the traces matching a filter, newest first, and the cursor of the
 * next page.
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
 * Two plans, chosen per request. A search by task, plan, session or attribute (few spans, found
 * through their b-tree or GIN index) collects the matching traces first and then sorts their roots
 * ({@link Plan#MATCH_FIRST}). Any other search walks the roots newest first through the partial
 * root index and checks each root's trace for a matching span, stopping at a page ({@link
 * Plan#ROOTS_FIRST}); when the planner estimates that its span filters match few spans (at most
 * {@value #MATCH_FIRST_MAX_SPANS}) the first plan is used instead, so that a rare status or agent
 * does not walk many roots for nothing. The statements are {@link TraceSql#search} and {@link
 * TraceSql#matchEstimate}.
 */
final class TraceSearch {

  /** Above this many matching spans (estimated) a search walks roots instead of collecting. */
  static final int MATCH_FIRST_MAX_SPANS = 2000;

  private static final Pattern PLAN_ROWS = Pattern.compile("\"Plan Rows\": ([0-9.eE+]+)");

  /** The two ways of answering a search; see the class comment. */
  enum Plan {
    MATCH_FIRST,
    ROOTS_FIRST
  }

  private final DataSource dataSource;

  TraceSearch(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** One page of a search, newest first, in one read transaction. */
  TraceList page(TraceParams.Search search) {
    try (Connection c = dataSource.getConnection()) {
      return TraceTransactions.inTransaction(
          c, false, () -> page(c, search, choosePlan(c, search.filter())));
    } catch (SQLException e) {
      throw TraceTransactions.failure("searching traces", e);
    }
  }

  /** Chooses how to answer a search; see the class comment. */
  static Plan choosePlan(Connection c, TraceFilter f) throws SQLException {
    if (!needsEstimate(f)) {
      // Task, plan, session and attribute filters match few spans, found through their own index.
      return f.hasSpanFilter() ? Plan.MATCH_FIRST : Plan.ROOTS_FIRST;
    }
    try (PreparedStatement ps = TraceSql.matchEstimate(f).prepare(c);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      Matcher rows = PLAN_ROWS.matcher(rs.getString(1));
      double estimate = rows.find() ? Double.parseDouble(rows.group(1)) : Double.MAX_VALUE;
      return estimate > MATCH_FIRST_MAX_SPANS ? Plan.ROOTS_FIRST : Plan.MATCH_FIRST;
    }
  }

  /**
   * Whether choosing the plan takes {@link TraceSql#matchEstimate}: span filters other than task,
   * plan, session and attribute.
   */
  static boolean needsEstimate(TraceFilter f) {
    return f.hasSpanFilter()
        && f.taskId() == null
        && f.planId() == null
        && f.sessionId() == null
        && f.attributes().isEmpty();
  }

  /**
   * A search page with a given plan; both plans give the same answer. The statement reads one trace
   * more than the limit: when it is there, the page's last trace's key becomes the cursor, bound to
   * the filter so that it cannot continue another search.
   */
  static TraceList page(Connection c, TraceParams.Search search, Plan plan) throws SQLException {
    TraceFilter f = search.filter();
    TraceSql sql = TraceSql.search(search, plan);
    List<TraceSummary> traces = new ArrayList<>();
    try (PreparedStatement ps = sql.prepare(c);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        traces.add(TraceRows.summary(rs));
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
}
