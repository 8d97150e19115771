package io.aard.tracequery;

import io.aard.tracequery.TraceViews.SessionDetail;
import io.aard.tracequery.TraceViews.SessionList;
import io.aard.tracequery.TraceViews.SessionSummary;
import io.aard.tracequery.TraceViews.TraceList;
import io.aard.tracequery.TraceViews.TraceSummary;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Lists sessions and reads one (docs/api.md §9). A session is a {@code session_id}: the {@code
 * gen_ai.conversation.id} (or {@code session.id}) its spans carry; AARD's own spans of a task carry
 * the task's id, so a task is a session. Its traces are those one of whose spans carries the id,
 * and its totals are summed over every span of them.
 *
 * <h2>Order and cursor</h2>
 *
 * Sessions are listed newest first by the start of their first span that carries the id (then by
 * the MD5 of the id, bytewise, both descending), and a cursor is that key of a page's last session,
 * in {@link TraceCursor}'s format (its 16 id bytes are the MD5) with a fingerprint no trace search
 * has. The key is fixed once a session's first span is stored: walking the cursors never repeats or
 * skips a session, unless a span of a session arrives that starts before the session's first stored
 * one (a late sender), which moves the session to its new place.
 */
final class SessionSearch {

  /** The most traces {@code GET /api/sessions/{id}} shows: the newest of the session. */
  static final int MAX_TRACES = TraceParams.MAX_LIMIT;

  /** The most first spans one page reads when it must read again (see {@link #page}). */
  private static final int MAX_FETCH = 64 * (TraceParams.MAX_LIMIT + 1);

  private final DataSource dataSource;

  SessionSearch(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** One page of sessions, newest first, in one read transaction. */
  SessionList page(TraceParams.Sessions request) {
    try (Connection c = dataSource.getConnection()) {
      return TraceTransactions.inTransaction(c, false, () -> page(c, request));
    } catch (SQLException e) {
      throw TraceTransactions.failure("listing sessions", e);
    }
  }

  /** A session read for a page, with its key. */
  private record Keyed(Instant time, String hash, SessionSummary session) {}

  private static final Comparator<Keyed> NEWEST_FIRST =
      Comparator.comparing(Keyed::time).thenComparing(Keyed::hash).reversed();

  /**
   * The page: {@link TraceSql#sessions} reads one session more than the limit, with every session
   * of its last start time, and this orders them by key. Only when one session has two first spans
   * of the same start (a sender's coarse clock) can the rows read hold fewer sessions than needed
   * to know whether there is a next page; then it reads again, twice as many.
   */
  private static SessionList page(Connection c, TraceParams.Sessions request) throws SQLException {
    int fetch = request.limit() + 1;
    while (true) {
      List<Keyed> read = new ArrayList<>();
      long fetched = 0;
      try (PreparedStatement ps = TraceSql.sessions(request.after(), fetch).prepare(c);
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          fetched = rs.getLong("fetched");
          read.add(
              new Keyed(
                  rs.getObject("key_time", OffsetDateTime.class).toInstant(),
                  rs.getString("key_hash"),
                  summary(rs)));
        }
      }
      read.sort(NEWEST_FIRST);
      boolean more = read.size() > request.limit();
      if (more || fetched < fetch || fetch > MAX_FETCH / 2) {
        // At the cap, the rows read still end at a whole start time: a cursor after the last
        // session read continues exactly there.
        List<Keyed> page = more ? read.subList(0, request.limit()) : read;
        boolean next = more || (fetched >= fetch && !page.isEmpty());
        Keyed last = page.isEmpty() ? null : page.get(page.size() - 1);
        return new SessionList(
            page.stream().map(Keyed::session).toList(),
            next
                ? TraceCursor.encode(
                    new TraceCursor.Position(last.time(), last.hash()),
                    TraceParams.SESSIONS_FINGERPRINT)
                : null);
      }
      fetch *= 2;
    }
  }

  /**
   * A session's totals and its traces (the {@value #MAX_TRACES} newest, shown oldest first), in one
   * read transaction; empty when no stored span carries the id.
   */
  Optional<SessionDetail> session(String sessionId) {
    try (Connection c = dataSource.getConnection()) {
      return TraceTransactions.inTransaction(c, false, () -> session(c, sessionId));
    } catch (SQLException e) {
      throw TraceTransactions.failure("reading session " + sessionId, e);
    }
  }

  private static Optional<SessionDetail> session(Connection c, String sessionId)
      throws SQLException {
    SessionSummary totals;
    try (PreparedStatement ps = TraceSql.session(sessionId).prepare(c);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      totals = summary(rs);
    }
    if (totals.traceCount() == 0) {
      return Optional.empty();
    }
    TraceFilter bySession =
        new TraceFilter(
            null, null, null, null, sessionId, null, null, null, List.of(), null, null, null, null);
    TraceList newest =
        TraceSearch.page(
            c, new TraceParams.Search(bySession, MAX_TRACES, null), TraceSearch.Plan.MATCH_FIRST);
    List<TraceSummary> oldestFirst = new ArrayList<>(newest.traces());
    java.util.Collections.reverse(oldestFirst);
    return Optional.of(
        SessionDetail.of(totals, List.copyOf(oldestFirst), newest.nextCursor() != null));
  }

  /** A row of {@link TraceSql#sessions} or {@link TraceSql#session}. */
  private static SessionSummary summary(ResultSet rs) throws SQLException {
    Instant first = instant(rs, "first_time");
    Instant last = instant(rs, "last_time");
    double durationMs =
        first == null || last == null ? 0 : ChronoUnit.MICROS.between(first, last) / 1000.0;
    return new SessionSummary(
        rs.getString("session_id"),
        rs.getLong("trace_count"),
        rs.getLong("span_count"),
        rs.getLong("error_count"),
        first,
        last,
        durationMs,
        rs.getLong("input_tokens"),
        rs.getLong("output_tokens"),
        TraceRows.money(rs, "cost_usd"));
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
