package io.aard.tracequery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aard.ingest.SpanPartitions;
import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import io.aard.testing.GeneratedTraces;
import io.aard.testing.SpanTable;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Trace reads are bounded (docs/api.md §6): a 100,000-span trace is cut at {@code
 * TRACE_READ_MAX_SPANS} with a marker, its true counts and a cursor, and {@code /spans} pages
 * through all of it by cursor; a chain of 100,000 spans (each the parent of the next) answers; and
 * a statistics window reaching past retention is answered over what is kept. The server's bound
 * comes from the pom ({@code it.trace.read.max.spans}).
 */
@ExtendWith(ArquillianExtension.class)
class BoundedTraceReadIT {

  private static final Logger LOG = Logger.getLogger(BoundedTraceReadIT.class.getName());
  private static final String SERVICE = SeededTraces.SERVICE_PREFIX + "bounded";
  private static final int MAX = Integer.getInteger("aard.it.trace.read.max.spans", 10_000);

  /** A root and 100,499 children: more than any bound the tests set. */
  private static final int WIDE_SPANS = 100_500;

  private static final int CHAIN_SPANS = 100_000;

  private static String wide;
  private static String chain;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  @BeforeAll
  static void seed() throws SQLException {
    GeneratedTraces.reset(SERVICE);
    wide = GeneratedTraces.wide(SERVICE, WIDE_SPANS);
    chain = GeneratedTraces.chain(SERVICE, CHAIN_SPANS);
  }

  private final Api api = new Api();

  @BeforeEach
  void onTheBuiltinServer() {
    // The pom sets the bound on the builtin server; -Dit.test=... also runs this on the other.
    assumeTrue(
        "builtin".equals(System.getProperty("arquillian.launch", "builtin")),
        "the trace read bound is set on the builtin-planner test server");
  }

  @Test
  void aHugeTraceIsCutAtTheBoundWithItsTrueCountsAndACursor() {
    long started = System.nanoTime();
    Reply reply = api.get("/api/traces/" + wide);
    long millis = (System.nanoTime() - started) / 1_000_000;
    LOG.info(
        () ->
            "GET /api/traces/{id} of "
                + WIDE_SPANS
                + " spans, cut at "
                + MAX
                + ": "
                + millis
                + " ms, "
                + reply.body().length()
                + " bytes");
    assertEquals(200, reply.status(), head(reply));
    JsonObject trace = reply.json();
    assertTrue(trace.getBoolean("truncated"), "the marker says it was cut");
    assertEquals(WIDE_SPANS, trace.getJsonNumber("span_count").longValue(), "the true count");
    assertEquals(
        GeneratedTraces.errorsAmong(WIDE_SPANS),
        trace.getJsonNumber("error_count").longValue(),
        "the errors of the whole trace");
    assertEquals("ERROR", trace.getString("status"));
    assertEquals("POST /api/plans/{plan_id}/execute", trace.getString("root_operation"));
    assertFalse(trace.isNull("next_cursor"));
    JsonArray roots = trace.getJsonArray("spans");
    assertEquals(1, roots.size());
    JsonArray children = roots.getJsonObject(0).getJsonArray("children");
    assertEquals(MAX - 1, children.size(), "the root and its first children: the bound");
    assertEquals(String.format("%016x", MAX), children.getJsonObject(MAX - 2).getString("span_id"));

    // The cursor continues /spans right after the last span of the tree.
    Reply rest =
        api.get("/api/traces/" + wide + "/spans?limit=3&cursor=" + trace.getString("next_cursor"));
    assertEquals(200, rest.status(), rest.body());
    assertEquals(
        List.of(
            String.format("%016x", MAX + 1),
            String.format("%016x", MAX + 2),
            String.format("%016x", MAX + 3)),
        spanIds(rest.array("spans")));
  }

  @Test
  void pagingSpansByCursorReturnsEverySpanExactlyOnceInOrder() throws SQLException {
    List<String> expected =
        SpanTable.query(
                "SELECT span_id FROM execution_traces WHERE trace_id = ?"
                    + " ORDER BY start_time, span_id",
                wide)
            .stream()
            .map(r -> r.get("span_id"))
            .toList();
    assertEquals(WIDE_SPANS, expected.size());
    List<String> walked = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    long started = System.nanoTime();
    do {
      Reply page =
          api.get("/api/traces/" + wide + "/spans" + (cursor == null ? "" : "?cursor=" + cursor));
      assertEquals(200, page.status(), head(page));
      JsonArray spans = page.array("spans");
      assertTrue(spans.size() <= MAX, "at most the bound: " + spans.size());
      walked.addAll(spanIds(spans));
      cursor = page.json().isNull("next_cursor") ? null : page.json().getString("next_cursor");
      pages++;
    } while (cursor != null && pages <= WIDE_SPANS / MAX + 2);
    long millis = (System.nanoTime() - started) / 1_000_000;
    int walkedPages = pages;
    LOG.info(
        () -> "paged " + WIDE_SPANS + " spans in " + walkedPages + " pages: " + millis + " ms");
    assertEquals(WIDE_SPANS, new HashSet<>(walked).size(), "no span repeats");
    assertEquals(expected, walked, "every span once, by start time, then span id");
    assertEquals((WIDE_SPANS + MAX - 1) / MAX, pages);

    // A small limit pages the same order, and the last page says so.
    List<String> small = new ArrayList<>();
    Reply page = api.get("/api/traces/" + wide + "/spans?limit=7");
    small.addAll(spanIds(page.array("spans")));
    page = api.get("/api/traces/" + wide + "/spans?limit=7&cursor=" + cursorOf(page));
    small.addAll(spanIds(page.array("spans")));
    assertEquals(expected.subList(0, 14), small);
  }

  @Test
  void aChainAHundredThousandDeepAnswers() {
    long started = System.nanoTime();
    Reply reply = api.get("/api/traces/" + chain);
    long millis = (System.nanoTime() - started) / 1_000_000;
    LOG.info(() -> "GET /api/traces/{id} of a " + CHAIN_SPANS + "-deep chain: " + millis + " ms");
    assertEquals(200, reply.status(), head(reply));
    int returned = Math.min(MAX, CHAIN_SPANS);
    Shape shape = shape(reply.body());
    assertEquals(returned, shape.spans(), "one span per level, up to the bound");
    assertEquals(returned, shape.deepestSpan(), "each span nested in the one before");
    assertEquals(CHAIN_SPANS, shape.spanCount());
    assertEquals(MAX < CHAIN_SPANS, shape.truncated());

    Reply flat = api.get("/api/traces/" + chain + "/spans?limit=2");
    assertEquals(200, flat.status(), flat.body());
    assertEquals(List.of("0000000000000001", "0000000000000002"), spanIds(flat.array("spans")));
  }

  @Test
  void badCursorsAndLimitsGet400NamingTheParameter() {
    String cursorOfWide = cursorOf(api.get("/api/traces/" + wide + "/spans?limit=1"));
    String searchCursor =
        cursorOf(api.get("/api/traces/?service_name=" + SERVICE + "&limit=1&cursor="));
    String tampered =
        cursorOfWide.substring(0, 5)
            + (cursorOfWide.charAt(5) == 'A' ? 'B' : 'A')
            + cursorOfWide.substring(6);
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("/api/traces/" + chain + "/spans?cursor=" + cursorOfWide, "cursor");
    cases.put("/api/traces/" + wide + "/spans?cursor=" + tampered, "cursor");
    cases.put("/api/traces/" + wide + "/spans?cursor=garbage", "cursor");
    cases.put("/api/traces/" + wide + "/spans?cursor=" + searchCursor, "cursor");
    cases.put("/api/traces/" + wide + "/spans?limit=0", "limit");
    cases.put("/api/traces/" + wide + "/spans?limit=" + (MAX + 1), "limit");
    cases.put("/api/traces/" + wide + "/spans?limit=1&limit=2", "limit");
    cases.put("/api/traces/" + wide + "/spans?depth=2", "depth");
    cases.put("/api/traces/" + wide + "?cursor=" + cursorOfWide, "cursor");
    cases.forEach(
        (path, parameter) -> {
          Reply reply = api.get(path);
          assertEquals(400, reply.status(), path + ": " + reply.body());
          assertEquals(parameter, reply.json().getString("parameter"), path + ": " + reply.body());
          assertFalse(reply.body().contains("Exception"), path + ": " + reply.body());
        });
  }

  @Test
  void statisticsFromBeforeRetentionAreAnsweredOverWhatIsKept() {
    // The original system's own example; the test server keeps the default 6 months.
    Instant kept = SpanPartitions.oldestKept(Instant.now(), 6);
    Reply reply =
        api.get(
            "/api/traces/stats/summary?start_time_from="
                + URLEncoder.encode("2025-01-01T00:00:00Z", StandardCharsets.UTF_8));
    assertEquals(200, reply.status(), reply.body());
    assertEquals(kept, Instant.parse(reply.json().getString("from")), reply.body());
    assertTrue(Instant.parse(reply.json().getString("to")).isAfter(kept));

    Reply wholly =
        api.get(
            "/api/traces/stats/summary?start_time_from=2025-01-01T00:00:00Z"
                + "&start_time_to=2025-02-01T00:00:00Z");
    assertEquals(200, wholly.status(), wholly.body());
    assertEquals(
        Instant.parse("2025-02-01T00:00:00Z"), Instant.parse(wholly.json().getString("from")));
    assertEquals(0, wholly.json().getJsonNumber("span_count").longValue());
  }

  /** What the body of a trace read shows, read by a streaming parser at any depth. */
  private record Shape(int spans, int deepestSpan, long spanCount, boolean truncated) {}

  /**
   * Counts the spans of a trace's body and how deeply they nest, with a streaming parser whose
   * depth limit (1,000 by default in Parsson) lets a chain through.
   */
  private static Shape shape(String body) {
    int spans = 0;
    int spanDepth = 0;
    int deepest = 0;
    long spanCount = -1;
    boolean truncated = false;
    // The object depth of each open object: a span object is one whose parent is an array.
    List<Boolean> inArray = new ArrayList<>();
    String key = null;
    try (JsonParser parser =
        JsonProvider.provider()
            .createParserFactory(Map.of("org.eclipse.parsson.maxDepth", 10_000_000))
            .createParser(new StringReader(body))) {
      while (parser.hasNext()) {
        JsonParser.Event event = parser.next();
        switch (event) {
          case KEY_NAME -> key = parser.getString();
          case START_ARRAY ->
              inArray.add(key != null && (key.equals("spans") || key.equals("children")));
          case START_OBJECT -> {
            boolean span = !inArray.isEmpty() && inArray.get(inArray.size() - 1);
            inArray.add(false);
            if (span) {
              spans++;
              deepest = Math.max(deepest, ++spanDepth);
            }
            key = null;
          }
          case END_OBJECT -> {
            inArray.remove(inArray.size() - 1);
            if (!inArray.isEmpty() && inArray.get(inArray.size() - 1)) {
              spanDepth--;
            }
          }
          case END_ARRAY -> inArray.remove(inArray.size() - 1);
          case VALUE_NUMBER -> {
            if (inArray.size() == 1 && "span_count".equals(key)) {
              spanCount = parser.getLong();
            }
          }
          case VALUE_TRUE -> truncated |= inArray.size() == 1 && "truncated".equals(key);
          default -> {}
        }
      }
    }
    return new Shape(spans, deepest, spanCount, truncated);
  }

  /** The start of a body that may be megabytes long, for a failure's message. */
  private static String head(Reply reply) {
    return reply.body().substring(0, Math.min(300, reply.body().length()));
  }

  private static String cursorOf(Reply page) {
    JsonObject body = page.json();
    assertNotNull(body.get("next_cursor"), page.body());
    return body.isNull("next_cursor") ? null : body.getString("next_cursor");
  }

  private static List<String> spanIds(JsonArray spans) {
    return spans.stream().map(JsonValue::asJsonObject).map(s -> s.getString("span_id")).toList();
  }
}
