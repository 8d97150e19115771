package io.aard.tracequery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import io.aard.testing.OtlpSender;
import io.aard.testing.SpanTable;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sessions (docs/api.md §9) on a real Liberty and PostgreSQL, from spans another service sends by
 * OTLP with {@code gen_ai.conversation.id} (or {@code session.id}) on some of its spans: listed
 * newest first and paged, read with their traces, and used as a filter of the search and the
 * statistics.
 */
@ExtendWith(ArquillianExtension.class)
class SessionsIT {

  private static final Duration STORED = Duration.ofSeconds(30);
  private static final String SERVICE = "it-sessions-" + UUID.randomUUID();
  private static final String RUN = UUID.randomUUID().toString();

  /** Oldest first: their first spans start 50, 40, 30 and (the last two together) 20 s ago. */
  private static final List<String> SESSIONS =
      List.of("s1-" + RUN, "s2-" + RUN, "s3-" + RUN, "s4-" + RUN, "s5-" + RUN);

  private static final Map<String, List<String>> TRACES = new LinkedHashMap<>();
  private static Instant now;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final Api api = new Api();

  /**
   * Each session: two traces a second apart, each a root without the session's id and a model call
   * with it (the first session by {@code session.id}, the others by {@code
   * gen_ai.conversation.id}); the second session's second call failed.
   */
  @BeforeAll
  static void sendSessions() throws Exception {
    now = OtlpSender.now();
    List<SpanData> spans = new ArrayList<>();
    for (int i = 0; i < SESSIONS.size(); i++) {
      String session = SESSIONS.get(i);
      Instant first = now.minusSeconds(50 - 10L * Math.min(i, 3));
      List<String> traces = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        String traceId = OtlpSender.traceId();
        traces.add(traceId);
        String root = OtlpSender.spanId();
        Instant start = first.plusSeconds(t);
        spans.add(
            OtlpSender.span(
                SERVICE,
                traceId,
                root,
                null,
                "handle message",
                start,
                Duration.ofMillis(400),
                Attributes.empty()));
        spans.add(
            OtlpSender.span(
                SERVICE,
                traceId,
                OtlpSender.spanId(),
                root,
                "chat gpt-4o-mini",
                start.plusMillis(100),
                Duration.ofMillis(200),
                Attributes.builder()
                    .put(i == 0 ? "session.id" : "gen_ai.conversation.id", session)
                    .put("gen_ai.request.model", "gpt-4o-mini")
                    .put("gen_ai.usage.input_tokens", 1_000L)
                    .put("gen_ai.usage.output_tokens", 100L)
                    .build(),
                i == 1 && t == 1 ? StatusData.error() : StatusData.unset()));
      }
      TRACES.put(session, traces);
    }
    try (OtlpSender sender = new OtlpSender(new Api())) {
      sender.send(spans);
    }
    SpanTable.await(
        "SELECT 1 FROM execution_traces WHERE service_name = ?",
        SERVICE,
        rows -> rows.size() == spans.size(),
        STORED);
  }

  @Test
  void aSessionSumsEveryTraceThatCarriesItsId() {
    String session = SESSIONS.get(1);
    JsonObject detail = api.get("/api/sessions/" + session).json();
    assertEquals(session, detail.getString("session_id"));
    assertEquals(2, detail.getInt("trace_count"));
    assertEquals(4, detail.getInt("span_count"), "the roots count, though they lack the id");
    assertEquals(1, detail.getInt("error_count"));
    assertEquals(2_000, detail.getInt("input_tokens"));
    assertEquals(200, detail.getInt("output_tokens"));
    // Two calls of (1,000 x 0.15 + 100 x 0.6) / 1e6, from the shipped gpt-4o-mini* price.
    assertEquals(0, new BigDecimal("0.00042").compareTo(number(detail, "cost_usd")));
    Instant first = Instant.parse(detail.getString("first_time"));
    Instant last = Instant.parse(detail.getString("last_time"));
    assertEquals(now.minusSeconds(40), first);
    assertEquals(now.minusSeconds(39).plusMillis(400), last);
    assertEquals(1_400.0, detail.getJsonNumber("duration_ms").doubleValue());
    JsonArray traces = detail.getJsonArray("traces");
    assertEquals(
        TRACES.get(session),
        traces.stream().map(t -> t.asJsonObject().getString("trace_id")).toList(),
        "oldest first");
    assertEquals(session, traces.getJsonObject(0).getString("session_id"));
    assertEquals("ERROR", traces.getJsonObject(1).getString("status"));
    assertFalse(detail.getBoolean("more_traces"));

    JsonObject byServiceId = api.get("/api/sessions/" + SESSIONS.get(0)).json();
    assertEquals(2, byServiceId.getInt("trace_count"), "session.id makes a session too");
  }

  @Test
  void sessionsAreListedNewestFirstAndEveryPageWalkFindsEachOnce() {
    for (int limit : new int[] {1, 2, 50}) {
      List<String> mine = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      Map<String, JsonObject> rows = new LinkedHashMap<>();
      String cursor = null;
      for (int page = 0; page < 5_000 && mine.size() < SESSIONS.size(); page++) {
        Reply reply =
            api.get(
                "/api/sessions?limit="
                    + limit
                    + (cursor == null
                        ? ""
                        : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
        assertEquals(200, reply.status(), reply.body());
        JsonArray sessions = reply.json().getJsonArray("sessions");
        assertTrue(sessions.size() <= limit);
        for (JsonValue value : sessions) {
          JsonObject s = value.asJsonObject();
          String id = s.getString("session_id");
          assertTrue(seen.add(id), "listed twice: " + id);
          if (SESSIONS.contains(id)) {
            mine.add(id);
            rows.put(id, s);
          }
        }
        cursor = reply.json().isNull("next_cursor") ? null : reply.json().getString("next_cursor");
        if (cursor == null) {
          break;
        }
      }
      assertEquals(SESSIONS.size(), mine.size(), "limit " + limit + ": " + mine);
      assertEquals(
          List.of(SESSIONS.get(2), SESSIONS.get(1), SESSIONS.get(0)),
          mine.subList(2, 5),
          "newest first; the last two share their start");
      assertEquals(Set.of(SESSIONS.get(3), SESSIONS.get(4)), Set.copyOf(mine.subList(0, 2)));
      JsonObject second = rows.get(SESSIONS.get(1));
      assertEquals(2, second.getInt("trace_count"));
      assertEquals(4, second.getInt("span_count"));
      assertEquals(1, second.getInt("error_count"));
      assertEquals(0, new BigDecimal("0.00042").compareTo(number(second, "cost_usd")));
    }
  }

  @Test
  void sessionIdFiltersTheSearchAndTheStatistics() {
    String session = SESSIONS.get(2);
    JsonArray traces = api.get("/api/traces/?session_id=" + session).json().getJsonArray("traces");
    assertEquals(
        List.of(TRACES.get(session).get(1), TRACES.get(session).get(0)),
        traces.stream().map(t -> t.asJsonObject().getString("trace_id")).toList());
    JsonObject stats =
        api.get("/api/traces/stats/summary?group_by=model&session_id=" + session).json();
    assertEquals(2, stats.getInt("span_count"), "the spans that carry the id");
    assertEquals(2, stats.getInt("trace_count"));
    assertEquals("gpt-4o-mini", stats.getJsonArray("groups").getJsonObject(0).getString("key"));
    assertEquals(0, new BigDecimal("0.00042").compareTo(number(stats, "cost_usd")));
  }

  @Test
  void badInputIsA400AndAnUnknownSessionA404() {
    assertRefused("cursor", api.get("/api/sessions?cursor=bm90LWEtY3Vyc29y"));
    assertRefused("status", api.get("/api/sessions?status=ERROR"));
    assertRefused("limit", api.get("/api/sessions?limit=0"));
    assertRefused("session_id", api.get("/api/sessions/" + "x".repeat(257)));
    assertRefused("verbose", api.get("/api/sessions/" + SESSIONS.get(0) + "?verbose=1"));
    // A cursor of the trace search does not continue the session list.
    String traceCursor = api.get("/api/traces/?limit=1").json().getString("next_cursor", null);
    assertNotNull(traceCursor);
    assertRefused("cursor", api.get("/api/sessions?cursor=" + traceCursor));
    Reply unknown = api.get("/api/sessions/no-such-session-" + RUN);
    assertEquals(404, unknown.status(), unknown.body());
  }

  private static void assertRefused(String parameter, Reply reply) {
    assertEquals(400, reply.status(), reply.body());
    assertEquals(parameter, reply.json().getString("parameter"), reply.body());
  }

  private static BigDecimal number(JsonObject object, String name) {
    return object.getJsonNumber(name).bigDecimalValue();
  }
}
