package io.aard.tracequery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceSqlTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final String TASK = "5b3a3c1e-0000-4000-8000-000000000001";
  private static final String AGENT = "5b3a3c1e-0000-4000-8000-000000000003";

  /** Queries that between them set every filter. */
  private static final List<String> QUERIES =
      List.of(
          "",
          "task_id=" + TASK,
          "agent_id=" + AGENT + "&status=ERROR&start_time_from=2026-01-01T00:00:00Z",
          "operation_name=op&service_name=svc&min_duration_ms=5&max_duration_ms=900",
          "attribute=enduser.id=user-42&start_time_to=2026-02-01T00:00:00Z&limit=7",
          "session_id=conversation-7&status=ERROR");

  @Test
  void everyPlaceholderHasItsValue() {
    for (String q : QUERIES) {
      TraceParams.Search search = TraceParams.search(query(q));
      for (TraceSearch.Plan plan : TraceSearch.Plan.values()) {
        assertBound(TraceSql.search(search, plan), q + " " + plan);
      }
      assertBound(TraceSql.matchEstimate(search.filter()), q);
      Map<String, List<String>> stats = query(q);
      stats.remove("limit");
      for (GroupBy groupBy : GroupBy.values()) {
        stats.put("group_by", List.of(groupBy.name().toLowerCase()));
        TraceParams.Stats request = TraceParams.stats(stats, NOW, Instant.EPOCH);
        assertBound(TraceSql.stats(request), q + " " + groupBy);
        assertBound(TraceSql.overallPercentiles(request), q);
        assertBound(TraceSql.traceCount(request), q);
      }
    }
  }

  @Test
  void bothPlansOrderByTheKeyAndContinueStrictlyAfterTheCursor() {
    Instant start = Instant.parse("2026-01-15T00:00:00.123Z");
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    Map<String, List<String>> query = query("agent_id=" + AGENT + "&limit=7");
    String fingerprint = TraceParams.search(query).filter().fingerprint();
    query.put(
        "cursor",
        List.of(TraceCursor.encode(new TraceCursor.Position(start, traceId), fingerprint)));
    TraceParams.Search search = TraceParams.search(query);
    for (TraceSearch.Plan plan : TraceSearch.Plan.values()) {
      TraceSql sql = TraceSql.search(search, plan);
      assertTrue(sql.text().endsWith(" ORDER BY r.start_time DESC, r.trace_id DESC"), plan.name());
      List<Object> values = sql.values();
      int after = values.indexOf(OffsetDateTime.ofInstant(start, ZoneOffset.UTC));
      assertTrue(after >= 0, plan + ": the cursor's start is bound as UTC " + values);
      assertEquals(traceId, values.get(after + 1), plan.name());
      assertEquals(8, values.get(values.size() - 1), plan + ": one more than the limit");
      assertTrue(sql.text().contains("(r.start_time, r.trace_id) < (?, ?)"), plan.name());
    }
  }

  @Test
  void spanPageOrdersByStartThenSpanIdAndContinuesStrictlyAfterTheCursor() {
    Instant start = Instant.parse("2026-01-15T00:00:00.123456Z");
    String traceId = "0af7651916cd43dd8448eb211c80319c";
    TraceSql first = TraceSql.spanPage(traceId, null, 10_001);
    assertBound(first, "first page");
    assertFalse(first.text().contains("> (?"), first.text());
    assertEquals(10_001L, first.values().get(1), "one more than the bound");
    TraceSql next =
        TraceSql.spanPage(traceId, new TraceCursor.SpanPosition(start, "00f067aa0ba902b7"), 51);
    assertBound(next, "next page");
    assertTrue(
        next.text().contains("AND (start_time, span_id COLLATE \"C\") > (?, ?)"), next.text());
    assertTrue(
        next.text().contains(" ORDER BY start_time, span_id COLLATE \"C\" LIMIT ?"), next.text());
    assertEquals(
        List.of(
            traceId,
            OffsetDateTime.ofInstant(start, ZoneOffset.UTC),
            "00f067aa0ba902b7",
            51L,
            traceId),
        next.values());
    assertBound(TraceSql.spanCounts(traceId), "counts");
  }

  @Test
  void onlyFiltersWithoutAnIndexOfTheirOwnTakeAnEstimate() throws Exception {
    assertFalse(TraceSearch.needsEstimate(filter("")));
    assertFalse(TraceSearch.needsEstimate(filter("task_id=" + TASK + "&status=ERROR")));
    assertFalse(TraceSearch.needsEstimate(filter("attribute=enduser.id=user-42&status=OK")));
    assertTrue(TraceSearch.needsEstimate(filter("agent_id=" + AGENT)));
    assertTrue(TraceSearch.needsEstimate(filter("operation_name=op")));
    // Without an estimate no statement runs, so no connection is needed.
    assertEquals(TraceSearch.Plan.ROOTS_FIRST, TraceSearch.choosePlan(null, filter("")));
    assertEquals(
        TraceSearch.Plan.MATCH_FIRST, TraceSearch.choosePlan(null, filter("task_id=" + TASK)));
  }

  @Test
  void sessionStatementsBindEveryValueAndContinueAfterTheCursor() {
    assertBound(TraceSql.sessions(null, 51), "first page");
    assertBound(TraceSql.session("conversation-7"), "one session");
    Instant start = Instant.parse("2026-01-15T00:00:00.123Z");
    String hash = "0af7651916cd43dd8448eb211c80319c";
    TraceSql next = TraceSql.sessions(new TraceCursor.Position(start, hash), 8);
    assertBound(next, "next page");
    List<Object> values = next.values();
    assertEquals(OffsetDateTime.ofInstant(start, ZoneOffset.UTC), values.get(0));
    assertEquals(hash, values.get(2));
    assertEquals(8, values.get(values.size() - 1));
    assertTrue(next.text().contains("FETCH FIRST ? ROWS WITH TIES"), next.text());
  }

  @Test
  void aSessionIsFoundThroughItsOwnIndex() throws Exception {
    assertFalse(TraceSearch.needsEstimate(filter("session_id=conversation-7&status=ERROR")));
    assertEquals(
        TraceSearch.Plan.MATCH_FIRST,
        TraceSearch.choosePlan(null, filter("session_id=conversation-7")));
    assertTrue(
        TraceSql.search(TraceParams.search(query("session_id=c-7")), TraceSearch.Plan.MATCH_FIRST)
            .text()
            .contains("s.session_id = ?"));
  }

  @Test
  void appendingAStatementKeepsValuesInOrder() {
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    TraceSql inner = new TraceSql().append(" b = ?", "b").append(" AND c = ?", at);
    TraceSql sql = new TraceSql().append("a = ?", 1).append(inner).append(" AND d = ?", 4L);
    assertEquals("a = ? b = ? AND c = ? AND d = ?", sql.text());
    assertEquals(List.of(1, "b", OffsetDateTime.ofInstant(at, ZoneOffset.UTC), 4L), sql.values());
  }

  private static void assertBound(TraceSql sql, String what) {
    long placeholders = sql.text().chars().filter(c -> c == '?').count();
    assertEquals(placeholders, sql.values().size(), what + ": " + sql.text());
    assertFalse(sql.values().stream().anyMatch(v -> v instanceof Instant), what);
  }

  private static TraceFilter filter(String q) {
    return TraceParams.search(query(q)).filter();
  }

  private static Map<String, List<String>> query(String q) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    for (String pair : q.split("&")) {
      if (!pair.isEmpty()) {
        int eq = pair.indexOf('=');
        query
            .computeIfAbsent(pair.substring(0, eq), k -> new ArrayList<>())
            .add(pair.substring(eq + 1));
      }
    }
    return query;
  }
}
