package io.aard.tracequery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.web.ApiException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TraceParamsTest {

  private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

  /** What six months of retention keep as of {@link #NOW}. */
  private static final Instant KEPT = Instant.parse("2026-05-01T00:00:00Z");

  /** The oldest instant kept when retention reaches past every window of a test. */
  private static final Instant KEEPS_ALL = Instant.EPOCH;

  private static final String UUID_TEXT = "3f1c2d4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f";

  @Test
  void searchWithoutParametersListsFiftyNewestOfEverything() {
    TraceParams.Search search = TraceParams.search(Map.of());
    assertEquals(50, search.limit());
    assertNull(search.after());
    assertFalse(search.filter().hasSpanFilter());
    assertNull(search.filter().from());
  }

  @Test
  void everyFilterIsRead() {
    TraceParams.Search search =
        TraceParams.search(
            query(
                "task_id", UUID_TEXT,
                "plan_id", UUID_TEXT,
                "agent_id", UUID_TEXT,
                "tool_id", UUID_TEXT,
                "status", "error",
                "operation_name", "execution.execute_step",
                "service_name", "aard",
                "start_time_from", "2026-11-01T00:00:00Z",
                "start_time_to", "2026-11-02T01:00:00+01:00",
                "min_duration_ms", "1.5",
                "max_duration_ms", "2000",
                "limit", "500"));
    TraceFilter f = search.filter();
    String id = UUID_TEXT;
    assertEquals(id, f.taskId());
    assertEquals(id, f.planId());
    assertEquals(id, f.agentId());
    assertEquals(id, f.toolId());
    assertEquals(SpanStatus.ERROR, f.status());
    assertEquals("execution.execute_step", f.operationName());
    assertEquals("aard", f.serviceName());
    assertEquals(Instant.parse("2026-11-01T00:00:00Z"), f.from());
    assertEquals(Instant.parse("2026-11-02T00:00:00Z"), f.to());
    assertEquals(1.5, f.minDurationMs());
    assertEquals(2000.0, f.maxDurationMs());
    assertEquals(500, search.limit());
    assertTrue(f.hasSpanFilter());
  }

  @Test
  void attributeIsRepeatable() {
    Map<String, List<String>> query = new LinkedHashMap<>();
    query.put("attribute", List.of("gen_ai.request.model=llama3.2", "aard.step_index=2"));
    List<AttributeFilter> attributes = TraceParams.search(query).filter().attributes();
    assertEquals(2, attributes.size());
    assertEquals("aard.step_index", attributes.get(1).key());
  }

  @Test
  void unknownParameterIsRefusedByName() {
    assertBadRequest("planid", () -> TraceParams.search(query("planid", UUID_TEXT)));
    assertBadRequest("limit", () -> TraceParams.stats(query("limit", "5"), NOW, KEPT));
    assertBadRequest("group_by", () -> TraceParams.search(query("group_by", "status")));
    assertBadRequest("verbose", () -> TraceParams.none(query("verbose", "true")));
  }

  @Test
  void singleValuedParameterGivenTwiceIsRefused() {
    Map<String, List<String>> query = Map.of("status", List.of("OK", "ERROR"));
    assertBadRequest("status", () -> TraceParams.search(query));
  }

  @Test
  void limitOutsideOneToFiveHundredIsRefused() {
    for (String limit : List.of("0", "501", "-1", "ten", "1.5", "99999999999")) {
      assertBadRequest("limit", () -> TraceParams.search(query("limit", limit)));
    }
    assertEquals(1, TraceParams.search(query("limit", "1")).limit());
  }

  @Test
  void malformedIdsAreRefusedByName() {
    for (String name : List.of("task_id", "plan_id", "agent_id", "tool_id")) {
      for (String bad :
          List.of("x".repeat(TraceParams.MAX_ID_CHARS + 1), "a\nb", "   ", "\u0000")) {
        assertBadRequest(name, () -> TraceParams.search(query(name, bad)));
      }
    }
  }

  @Test
  void idsFromOtherSystemsAreFiltersTooAndUuidsAreLowerCased() {
    for (String id :
        List.of("lookup_order", "42", "' OR 1=1 --", "x".repeat(TraceParams.MAX_ID_CHARS))) {
      assertEquals(id, TraceParams.search(query("tool_id", id)).filter().toolId());
    }
    assertEquals(
        UUID_TEXT,
        TraceParams.search(query("agent_id", UUID_TEXT.toUpperCase(java.util.Locale.ROOT)))
            .filter()
            .agentId());
  }

  @Test
  void statusIsOneOfOkErrorUnset() {
    assertEquals(SpanStatus.UNSET, TraceParams.search(query("status", "unset")).filter().status());
    assertBadRequest("status", () -> TraceParams.search(query("status", "FAILED")));
  }

  @Test
  void timestampsWithAnOffsetAreTheInstantTheyName() {
    TraceFilter f =
        TraceParams.search(
                query(
                    "start_time_from", "2026-11-01T01:30:00+01:30",
                    "start_time_to", "2026-11-02T00:00:00.123456Z"))
            .filter();
    assertEquals(Instant.parse("2026-11-01T00:00:00Z"), f.from());
    assertEquals(Instant.parse("2026-11-02T00:00:00.123456Z"), f.to());
  }

  /** The original system's README asks for statistics with {@code 2025-01-01T00:00:00}. */
  @Test
  void timestampsWithoutAnOffsetAreUtc() {
    for (String name : List.of("start_time_from", "start_time_to")) {
      assertEquals(Instant.parse("2025-01-01T00:00:00Z"), time(name, "2025-01-01T00:00:00"), name);
      assertEquals(
          Instant.parse("2025-01-01T12:34:56.789Z"), time(name, "2025-01-01T12:34:56.789"), name);
      assertEquals(
          Instant.parse("2025-01-01T12:34:56.000001Z"),
          time(name, "2025-01-01T12:34:56.000001"),
          name);
      assertEquals(Instant.parse("2025-01-01T12:34:00Z"), time(name, "2025-01-01T12:34"), name);
    }
  }

  @Test
  void aBareDateIsItsMidnightInUtc() {
    assertEquals(Instant.parse("2025-01-01T00:00:00Z"), time("start_time_from", "2025-01-01"));
    assertEquals(Instant.parse("2025-01-02T00:00:00Z"), time("start_time_to", "2025-01-02"));
    TraceFilter window =
        TraceParams.stats(
                query("start_time_from", "2025-01-01", "start_time_to", "2025-01-02"),
                NOW,
                KEEPS_ALL)
            .filter();
    assertEquals(Instant.parse("2025-01-01T00:00:00Z"), window.from());
    assertEquals(Instant.parse("2025-01-02T00:00:00Z"), window.to());
  }

  @Test
  void statsWindowFromATimestampWithoutOffsetIsShownAsTheInstantUsed() {
    TraceFilter window =
        TraceParams.stats(query("start_time_from", "2025-01-01T00:00:00"), NOW, KEEPS_ALL).filter();
    assertEquals(Instant.parse("2025-01-01T00:00:00Z"), window.from());
    assertEquals(NOW, window.to());
  }

  @Test
  void whatIsNotATimeIsRefusedNamingTheParameter() {
    for (String bad :
        List.of(
            "yesterday",
            "1700000000",
            "2026-13-01T00:00:00Z",
            "2026-13-01",
            "2026-02-30",
            "2026-11-01T25:00:00",
            "2026-11-01T00:00:00ZZ",
            "2026-11-01 00:00:00",
            "20261101",
            "2026-11",
            "T00:00:00",
            "2026-11-01T",
            " 2026-11-01")) {
      assertBadRequest("start_time_from", () -> TraceParams.search(query("start_time_from", bad)));
      assertBadRequest("start_time_to", () -> TraceParams.search(query("start_time_to", bad)));
      assertBadRequest(
          "start_time_from", () -> TraceParams.stats(query("start_time_from", bad), NOW, KEPT));
    }
    ApiException unencodedPlus =
        assertThrows(
            ApiException.class,
            () -> TraceParams.search(query("start_time_from", "2026-11-01T00:00:00 01:00")));
    assertTrue(unencodedPlus.getMessage().contains("%2B"), unencodedPlus.getMessage());
  }

  @Test
  void timestampsBeyondTheYear9999AreRefused() {
    for (String bad : List.of("+10000-01-01T00:00:00Z", "+10000-01-01T00:00:00", "+10000-01-01")) {
      assertBadRequest("start_time_to", () -> TraceParams.search(query("start_time_to", bad)));
    }
  }

  @Test
  void fromAfterToIsRefused() {
    assertBadRequest(
        "start_time_from",
        () ->
            TraceParams.search(
                query(
                    "start_time_from", "2026-11-02T00:00:00Z",
                    "start_time_to", "2026-11-01T00:00:00Z")));
  }

  @Test
  void durationsAreNonNegativeMilliseconds() {
    for (String bad : List.of("-1", "NaN", "Infinity", "1d", "0x10", "abc", "1e999")) {
      assertBadRequest("min_duration_ms", () -> TraceParams.search(query("min_duration_ms", bad)));
      assertBadRequest("max_duration_ms", () -> TraceParams.search(query("max_duration_ms", bad)));
    }
    assertBadRequest(
        "min_duration_ms",
        () -> TraceParams.search(query("min_duration_ms", "10", "max_duration_ms", "5")));
  }

  @Test
  void textFiltersRefuseNulAndOverlongValues() {
    assertBadRequest(
        "operation_name", () -> TraceParams.search(query("operation_name", "a\u0000b")));
    assertBadRequest(
        "service_name", () -> TraceParams.search(query("service_name", "x".repeat(1025))));
  }

  @Test
  void emptyValuesAreAbsent() {
    TraceParams.Search search =
        TraceParams.search(query("task_id", "", "status", "", "cursor", ""));
    assertFalse(search.filter().hasSpanFilter());
    assertNull(search.after());
  }

  @Test
  void traceIdIsThirtyTwoHexInEitherCase() {
    assertEquals(
        "4bf92f3577b34da6a3ce929d0e0e4736",
        TraceParams.traceId("4BF92F3577B34DA6A3CE929D0E0E4736"));
    for (String bad :
        List.of(
            "4bf92f3577b34da6a3ce929d0e0e473",
            "4bf92f3577b34da6a3ce929d0e0e47360",
            "zz" + "0".repeat(30),
            "")) {
      assertBadRequest("trace_id", () -> TraceParams.traceId(bad));
    }
  }

  @Test
  void statsWindowDefaultsToTheLast24Hours() {
    TraceParams.Stats stats = TraceParams.stats(Map.of(), NOW, KEPT);
    assertEquals(NOW.minusSeconds(86_400), stats.filter().from());
    assertEquals(NOW, stats.filter().to());
    assertEquals(GroupBy.OPERATION_NAME, stats.groupBy());
  }

  @Test
  void statsWindowFillsTheMissingEnd() {
    TraceParams.Stats fromOnly =
        TraceParams.stats(query("start_time_from", "2026-11-20T00:00:00Z"), NOW, KEPT);
    assertEquals(NOW, fromOnly.filter().to());
    TraceParams.Stats toOnly =
        TraceParams.stats(query("start_time_to", "2026-11-20T00:00:00Z"), NOW, KEPT);
    assertEquals(Instant.parse("2026-11-19T00:00:00Z"), toOnly.filter().from());
    assertBadRequest(
        "start_time_from",
        () -> TraceParams.stats(query("start_time_from", "2026-12-01T00:00:00Z"), NOW, KEPT));
  }

  @Test
  void groupByIsOneOfTheGroupingColumns() {
    assertEquals(
        GroupBy.AGENT_ID, TraceParams.stats(query("group_by", "agent_id"), NOW, KEPT).groupBy());
    assertBadRequest("group_by", () -> TraceParams.stats(query("group_by", "trace_id"), NOW, KEPT));
  }

  @Test
  void statsWindowPastRetentionStartsAtTheOldestSpanKept() {
    TraceParams.Stats stats =
        TraceParams.stats(query("start_time_from", "2025-01-01T00:00:00Z"), NOW, KEPT);
    assertEquals(KEPT, stats.filter().from());
    assertEquals(NOW, stats.filter().to());
    TraceParams.Stats inside =
        TraceParams.stats(query("start_time_from", "2026-05-01T00:00:01Z"), NOW, KEPT);
    assertEquals(Instant.parse("2026-05-01T00:00:01Z"), inside.filter().from());
  }

  @Test
  void statsWindowWhollyPastRetentionIsEmpty() {
    TraceParams.Stats stats =
        TraceParams.stats(
            query(
                "start_time_from", "2025-01-01T00:00:00Z", "start_time_to", "2025-02-01T00:00:00Z"),
            NOW,
            KEPT);
    assertEquals(Instant.parse("2025-02-01T00:00:00Z"), stats.filter().from());
    assertEquals(stats.filter().to(), stats.filter().from());
  }

  @Test
  void spansPageDefaultsToTheMaximumAndTakesOnlyLimitAndCursor() {
    String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    TraceParams.Spans first = TraceParams.spans(Map.of(), trace, 10_000);
    assertEquals(10_000, first.limit());
    assertNull(first.after());
    assertEquals(1, TraceParams.spans(query("limit", "1"), trace, 10_000).limit());
    assertBadRequest("limit", () -> TraceParams.spans(query("limit", "0"), trace, 10_000));
    assertBadRequest("limit", () -> TraceParams.spans(query("limit", "10001"), trace, 10_000));
    assertBadRequest("limit", () -> TraceParams.spans(query("limit", "many"), trace, 10_000));
    assertBadRequest("depth", () -> TraceParams.spans(query("depth", "1"), trace, 10_000));
    assertBadRequest("cursor", () -> TraceParams.spans(query("cursor", "x"), trace, 10_000));
  }

  @Test
  void spansCursorIsBoundToItsTrace() {
    String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
    String cursor =
        TraceCursor.encodeSpan(new TraceCursor.SpanPosition(NOW, "00f067aa0ba902b7"), trace);
    TraceParams.Spans next = TraceParams.spans(query("cursor", cursor), trace, 100);
    assertEquals(new TraceCursor.SpanPosition(NOW, "00f067aa0ba902b7"), next.after());
    assertBadRequest(
        "cursor",
        () -> TraceParams.spans(query("cursor", cursor), "0af7651916cd43dd8448eb211c80319c", 100));
  }

  @Test
  void cursorIsBoundToItsSearch() {
    TraceParams.Search first = TraceParams.search(query("status", "ERROR"));
    String cursor =
        TraceCursor.encode(
            new TraceCursor.Position(NOW, "4bf92f3577b34da6a3ce929d0e0e4736"),
            first.filter().fingerprint());
    TraceParams.Search next =
        TraceParams.search(query("status", "error", "cursor", cursor, "limit", "7"));
    assertNotNull(next.after());
    assertEquals(NOW, next.after().startTime());
    assertBadRequest("cursor", () -> TraceParams.search(query("status", "OK", "cursor", cursor)));
  }

  private static Instant time(String name, String value) {
    TraceFilter f = TraceParams.search(query(name, value)).filter();
    return name.equals("start_time_from") ? f.from() : f.to();
  }

  @Test
  void sessionIdFiltersSearchAndStatsAndBindsTheCursor() {
    TraceFilter bySession =
        TraceParams.search(query("session_id", UUID_TEXT.toUpperCase())).filter();
    assertEquals(UUID_TEXT, bySession.sessionId(), "a UUID in lower case, as stored");
    assertTrue(bySession.hasSpanFilter());
    assertEquals(
        "conversation 7",
        TraceParams.stats(query("session_id", "conversation 7"), NOW, KEPT).filter().sessionId());
    assertEquals(GroupBy.MODEL, TraceParams.stats(query("group_by", "model"), NOW, KEPT).groupBy());
    assertBadRequest("session_id", () -> TraceParams.search(query("session_id", "x".repeat(257))));
    // A search without a session keeps the fingerprint it had, so that its cursors stay valid.
    TraceFilter none = TraceParams.search(Map.of()).filter();
    assertFalse(none.fingerprint().contains("session"));
    String cursor =
        TraceCursor.encode(
            new TraceCursor.Position(NOW, "4bf92f3577b34da6a3ce929d0e0e4736"),
            bySession.fingerprint());
    assertBadRequest("cursor", () -> TraceParams.search(query("cursor", cursor)));
  }

  @Test
  void sessionsTakeOnlyLimitAndCursor() {
    TraceParams.Sessions first = TraceParams.sessions(Map.of());
    assertEquals(50, first.limit());
    assertNull(first.after());
    assertBadRequest("status", () -> TraceParams.sessions(query("status", "ERROR")));
    assertBadRequest("limit", () -> TraceParams.sessions(query("limit", "501")));
    String searchCursor =
        TraceCursor.encode(
            new TraceCursor.Position(NOW, "4bf92f3577b34da6a3ce929d0e0e4736"),
            TraceParams.search(Map.of()).filter().fingerprint());
    assertBadRequest("cursor", () -> TraceParams.sessions(query("cursor", searchCursor)));
    String sessionsCursor =
        TraceCursor.encode(
            new TraceCursor.Position(NOW, "4bf92f3577b34da6a3ce929d0e0e4736"),
            TraceParams.SESSIONS_FINGERPRINT);
    assertEquals(NOW, TraceParams.sessions(query("cursor", sessionsCursor)).after().startTime());
    assertBadRequest("cursor", () -> TraceParams.search(query("cursor", sessionsCursor)));
    assertBadRequest("session_id", () -> TraceParams.sessionId(" "));
    assertEquals("task-1", TraceParams.sessionId("task-1"));
  }

  static void assertBadRequest(String parameter, Executable parse) {
    ApiException e = assertThrows(ApiException.class, parse);
    assertEquals(400, e.status());
    assertEquals(parameter, e.parameter(), e.getMessage());
    assertFalse(e.getMessage().isBlank());
  }

  private static Map<String, List<String>> query(String... namesAndValues) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      query.put(namesAndValues[i], List.of(namesAndValues[i + 1]));
    }
    return query;
  }
}
