package io.aard.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import io.aard.testing.OtlpSender;
import io.aard.testing.SpanTable;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What model calls cost (docs/api.md §9) on a real Liberty and PostgreSQL: spans received by OTLP
 * priced from the shipped table, AARD's own model spans priced, price changes through the API
 * applying to the spans stored after them, exact sums over ten thousand spans, and the price API's
 * answers to bad input.
 */
@ExtendWith(ArquillianExtension.class)
class CostIT {

  private static final Duration STORED = Duration.ofSeconds(30);

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final Api api = new Api();
  private final String service = "it-cost-" + UUID.randomUUID();

  @Test
  void theShippedTableHasHostedModelsAndFreeLocalOnes() {
    Map<String, JsonObject> prices = prices();
    JsonObject mini = prices.get("gpt-4o-mini*");
    assertEquals(new BigDecimal("0.15"), number(mini, "input_per_million"));
    assertEquals(new BigDecimal("0.6"), number(mini, "output_per_million"));
    assertEquals(new BigDecimal("0.075"), number(mini, "cached_input_per_million"));
    assertTrue(mini.getString("source").contains("openai.com"), mini.toString());
    assertTrue(mini.getBoolean("pattern"));
    for (String hosted :
        List.of("gpt-4o*", "gpt-4.1*", "o3*", "o4-mini*", "claude-sonnet-4*", "gemini-2.5-pro*")) {
      assertTrue(number(prices.get(hosted), "input_per_million").signum() > 0, hosted);
    }
    for (String local : List.of("llama*", "qwen*", "mistral*", "gemma*", "phi*")) {
      assertEquals(0, number(prices.get(local), "output_per_million").signum(), local);
    }
  }

  /**
   * A chat application's trace, sent by OTLP: each model call priced by its response model (else
   * its request model) from the shipped table, cached input at the cached price, a call that
   * carries its own cost keeping it, an unknown model left unpriced; the trace list, the trace and
   * the statistics by model show the sums.
   */
  @Test
  void otlpSpansOfHostedModelsArePricedFromTheShippedTable() throws Exception {
    String traceId = OtlpSender.traceId();
    String rootId = OtlpSender.spanId();
    String conversation = "conversation-" + UUID.randomUUID();
    Instant start = OtlpSender.now().minusSeconds(5);
    List<SpanData> spans = new ArrayList<>();
    spans.add(
        OtlpSender.span(
            service, traceId, rootId, null, "invoke_agent", start, ms(900), attrs(a -> {})));
    spans.add(
        call(
            traceId,
            rootId,
            start,
            1,
            a ->
                a.put("gen_ai.request.model", "gpt-4o-mini")
                    .put("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
                    .put("gen_ai.conversation.id", conversation)
                    .put("gen_ai.usage.input_tokens", 12_000L)
                    .put("gen_ai.usage.cache_read.input_tokens", 2_000L)
                    .put("gen_ai.usage.output_tokens", 800L)));
    spans.add(
        call(
            traceId,
            rootId,
            start,
            2,
            a ->
                a.put("gen_ai.request.model", "claude-3-5-sonnet-20241022")
                    .put("gen_ai.usage.input_tokens", 3_000L)
                    .put("gen_ai.usage.output_tokens", 500L)));
    spans.add(
        call(
            traceId,
            rootId,
            start,
            3,
            a ->
                a.put("gen_ai.request.model", "gemini-2.0-flash")
                    .put("gen_ai.response.model", "gemini-2.0-flash-001")
                    .put("gen_ai.usage.input_tokens", 1_000L)
                    .put("gen_ai.usage.output_tokens", 100L)));
    spans.add(
        call(
            traceId,
            rootId,
            start,
            4,
            a ->
                a.put("gen_ai.request.model", "o4-mini")
                    .put("gen_ai.usage.cost", 0.25)
                    .put("gen_ai.usage.input_tokens", 10L)
                    .put("gen_ai.usage.output_tokens", 10L)));
    spans.add(
        call(
            traceId,
            rootId,
            start,
            5,
            a ->
                a.put("gen_ai.request.model", "mystery-model-x")
                    .put("gen_ai.usage.input_tokens", 50L)
                    .put("gen_ai.usage.output_tokens", 50L)));
    try (OtlpSender sender = new OtlpSender(api)) {
      sender.send(spans);
    }
    List<SpanTable.Row> rows =
        SpanTable.await(
            "SELECT model, cost_usd, session_id FROM execution_traces WHERE trace_id = ?"
                + " ORDER BY start_time",
            traceId,
            r -> r.size() == 6,
            STORED);
    // (10,000 x 0.15 + 2,000 x 0.075 + 800 x 0.6) / 1e6, and so on: exact decimals.
    assertCost("0.00213", rows.get(1));
    assertEquals("gpt-4o-mini-2024-07-18", rows.get(1).get("model"));
    assertEquals(conversation, rows.get(1).get("session_id"));
    assertCost("0.0165", rows.get(2));
    assertEquals("claude-3-5-sonnet-20241022", rows.get(2).get("model"));
    assertCost("0.00014", rows.get(3));
    assertCost("0.25", rows.get(4));
    assertNull(rows.get(5).get("cost_usd"), "no price for an unknown model");
    assertNull(rows.get(0).get("cost_usd"));

    BigDecimal total = new BigDecimal("0.26877");
    JsonObject listed = api.get("/api/traces/?service_name=" + service).json();
    JsonObject row = listed.getJsonArray("traces").getJsonObject(0);
    assertEquals(traceId, row.getString("trace_id"));
    assertEquals(16_060, row.getInt("input_tokens"));
    assertEquals(1_460, row.getInt("output_tokens"));
    assertEquals(0, total.compareTo(number(row, "cost_usd")), row.toString());
    assertEquals(conversation, row.getString("session_id"));

    JsonObject detail = api.get("/api/traces/" + traceId).json();
    assertEquals(0, total.compareTo(number(detail, "cost_usd")), detail.toString());
    assertEquals(16_060, detail.getInt("input_tokens"));
    JsonObject mini =
        detail.getJsonArray("spans").getJsonObject(0).getJsonArray("children").getJsonObject(0);
    assertEquals("gpt-4o-mini-2024-07-18", mini.getString("model"));
    assertEquals(0, new BigDecimal("0.00213").compareTo(number(mini, "cost_usd")));

    JsonObject stats =
        api.get("/api/traces/stats/summary?group_by=model&service_name=" + service).json();
    assertEquals(0, total.compareTo(number(stats, "cost_usd")), stats.toString());
    Map<String, JsonObject> groups = new HashMap<>();
    for (JsonValue group : stats.getJsonArray("groups")) {
      JsonObject g = group.asJsonObject();
      groups.put(g.isNull("key") ? null : g.getString("key"), g);
    }
    assertEquals(
        0,
        new BigDecimal("0.0165")
            .compareTo(number(groups.get("claude-3-5-sonnet-20241022"), "cost_usd")));
    assertTrue(groups.get("mystery-model-x").isNull("cost_usd"), groups.toString());
    assertEquals(50, groups.get("mystery-model-x").getJsonObject("gen_ai").getInt("input_tokens"));
    assertTrue(groups.get(null).isNull("cost_usd"), "the root span: no model, no cost");
  }

  /**
   * A price set through the API prices the spans stored after it, an exact row before a pattern;
   * spans stored before keep their cost; once deleted, the model is unpriced again.
   */
  @Test
  void aPriceChangeAppliesToTheSpansStoredAfterIt() throws Exception {
    String model = "it-model-" + UUID.randomUUID();
    Reply created = put(model, "{\"input_per_million\": 1.5, \"output_per_million\": 2.25}");
    assertEquals(201, created.status(), created.body());
    assertEquals(model, created.json().getString("model"));
    assertEquals("api", created.json().getString("source"));
    assertTrue(created.json().isNull("cached_input_per_million"));
    assertTrue(prices().containsKey(model));

    String first = sendCall(model, 1_000, 2_000);
    assertEquals("0.006", cost(first), "(1,000 x 1.5 + 2,000 x 2.25) / 1e6");

    Reply replaced =
        put(
            model,
            "{\"input_per_million\": 3, \"output_per_million\": 4.5,"
                + " \"cached_input_per_million\": 0.3}");
    assertEquals(200, replaced.status(), replaced.body());
    String second = sendCall(model, 1_000, 2_000);
    assertEquals("0.012", cost(second));
    assertEquals("0.006", cost(first), "a stored span keeps the cost it was stored with");

    String family = "it-family-" + UUID.randomUUID();
    assertEquals(
        201, put(family + "*", "{\"input_per_million\": 10, \"output_per_million\": 0}").status());
    assertEquals("0.01", cost(sendCall(family + "-large", 1_000, 7)), "priced by the pattern");

    assertEquals(204, delete(model).status());
    assertEquals(204, delete(family + "*").status());
    assertNull(cost(sendCall(model, 1_000, 2_000)), "deleted: unpriced again");
    Reply gone = delete(model);
    assertEquals(404, gone.status(), gone.body());
    assertFalse(prices().containsKey(model));
  }

  /**
   * AARD's own model calls (the built-in planner's {@code builtin.generate} spans, which count
   * tokens) cost their tokens times the price of {@code builtin-rules-1}, which ships at 0.
   */
  @Test
  void aardsOwnModelCallsArePricedWhenTheyAreStored() throws Exception {
    JsonObject shipped = prices().get("builtin-rules-1");
    assertEquals(0, number(shipped, "input_per_million").signum());
    assertEquals(
        200,
        put("builtin-rules-1", "{\"input_per_million\": 1.5, \"output_per_million\": 2.25}")
            .status());
    try {
      String taskId = api.createTask("Count the words in 'priced model calls add up'");
      Reply planned = api.post("/api/tasks/" + taskId + "/plan");
      assertEquals(201, planned.status(), planned.body());
      List<SpanTable.Row> calls =
          SpanTable.await(
              "SELECT input_tokens, output_tokens, cost_usd, model FROM execution_traces"
                  + " WHERE task_id = ? AND operation_name = 'builtin.generate'",
              taskId,
              r -> r.size() >= 2,
              STORED);
      BigDecimal sum = BigDecimal.ZERO;
      for (SpanTable.Row call : calls) {
        assertEquals("builtin-rules-1", call.get("model"));
        BigDecimal expected =
            new BigDecimal(call.get("input_tokens"))
                .multiply(new BigDecimal("1.5"))
                .add(new BigDecimal(call.get("output_tokens")).multiply(new BigDecimal("2.25")))
                .movePointLeft(6);
        assertTrue(expected.signum() > 0, call.toString());
        assertEquals(0, expected.compareTo(new BigDecimal(call.get("cost_usd"))), call.toString());
        sum = sum.add(expected);
      }
      JsonObject planning =
          Awaitility.await("the planning trace, listed once its root is stored")
              .atMost(STORED)
              .until(
                  () ->
                      api
                          .get("/api/traces/?task_id=" + taskId)
                          .json()
                          .getJsonArray("traces")
                          .stream()
                          .map(JsonValue::asJsonObject)
                          .filter(
                              t ->
                                  t.getString("root_operation")
                                      .equals("POST /api/tasks/{task_id}/plan"))
                          .findFirst()
                          .orElse(null),
                  t -> t != null);
      assertEquals(0, sum.compareTo(number(planning, "cost_usd")), planning.toString());
    } finally {
      put(
          "builtin-rules-1",
          "{\"input_per_million\": 0, \"output_per_million\": 0, \"cached_input_per_million\": 0}");
    }
  }

  /**
   * Ten thousand model calls sent by OTLP: the statistics' cost is exactly the sum of the costs
   * computed one by one, as is SQL's sum over the column; no rounding anywhere.
   */
  @Test
  void tenThousandCallsSumExactly() throws Exception {
    Random random = new Random(16);
    BigDecimal expected = BigDecimal.ZERO;
    List<SpanData> spans = new ArrayList<>(10_000);
    Instant start = OtlpSender.now().minusSeconds(60);
    ModelPrice mini =
        new ModelPrice(
            "gpt-4o-mini*",
            new BigDecimal("0.15"),
            new BigDecimal("0.6"),
            new BigDecimal("0.075"),
            "",
            Instant.EPOCH);
    for (int t = 0; t < 100; t++) {
      String traceId = OtlpSender.traceId();
      // One root per trace and 99 calls under it: 100 traces, not 10,000, for the other tests'
      // searches on the same database.
      String rootId = OtlpSender.spanId();
      for (int s = 0; s < 100; s++) {
        long input = 1 + random.nextInt(20_000);
        long output = random.nextInt(2_000);
        long cached = random.nextInt(3) == 0 ? random.nextInt((int) input) : 0;
        expected = expected.add(mini.cost(input, output, cached));
        spans.add(
            OtlpSender.span(
                service,
                traceId,
                s == 0 ? rootId : OtlpSender.spanId(),
                s == 0 ? null : rootId,
                "chat gpt-4o-mini",
                start.plusMillis(t * 100L + s),
                ms(1),
                Attributes.builder()
                    .put("gen_ai.request.model", "gpt-4o-mini")
                    .put("gen_ai.usage.input_tokens", input)
                    .put("gen_ai.usage.output_tokens", output)
                    .put("gen_ai.usage.cache_read.input_tokens", cached)
                    .build()));
      }
    }
    try (OtlpSender sender = new OtlpSender(api)) {
      sender.send(spans);
    }
    List<SpanTable.Row> sum =
        SpanTable.await(
            "SELECT count(*) AS n, sum(cost_usd) AS cost FROM execution_traces"
                + " WHERE service_name = ?",
            service,
            r -> r.get(0).get("n").equals("10000"),
            Duration.ofSeconds(60));
    assertEquals(0, expected.compareTo(new BigDecimal(sum.get(0).get("cost"))), sum.toString());
    JsonObject stats =
        api.get(
                "/api/traces/stats/summary?service_name="
                    + service
                    + "&start_time_from="
                    + URLEncoder.encode(start.minusSeconds(1).toString(), StandardCharsets.UTF_8))
            .json();
    assertEquals(10_000, stats.getInt("span_count"));
    assertEquals(0, expected.compareTo(number(stats, "cost_usd")), stats.toString());
  }

  @Test
  void badPriceInputIsA400NamingTheField() {
    String model = "it-bad-" + UUID.randomUUID();
    String ok = "\"output_per_million\": 1";
    assertRefused("input_per_million", put(model, "{\"input_per_million\": -1, " + ok + "}"));
    assertRefused("input_per_million", put(model, "{\"input_per_million\": \"two\", " + ok + "}"));
    assertRefused("input_per_million", put(model, "{\"input_per_million\": 1e12, " + ok + "}"));
    assertRefused(
        "input_per_million", put(model, "{\"input_per_million\": 0.1234567, " + ok + "}"));
    assertRefused("input_per_million", put(model, "{" + ok + "}"));
    assertRefused(
        "cached_input_per_million",
        put(model, "{\"input_per_million\": 1, " + ok + ", \"cached_input_per_million\": -2}"));
    assertRefused(
        "currency", put(model, "{\"input_per_million\": 1, " + ok + ", \"currency\": \"EUR\"}"));
    assertRefused("body", put(model, "[1, 2]"));
    assertRefused("body", put(model, "{\"input_per_million\": "));
    assertRefused("model", put("gpt*4o", "{\"input_per_million\": 1, " + ok + "}"));
    assertRefused("model", put("*", "{\"input_per_million\": 1, " + ok + "}"));
    assertFalse(prices().containsKey(model), "nothing was stored");
  }

  private SpanData call(
      String traceId,
      String parent,
      Instant start,
      int n,
      Consumer<io.opentelemetry.api.common.AttributesBuilder> attributes) {
    return OtlpSender.span(
        service,
        traceId,
        OtlpSender.spanId(),
        parent,
        "chat",
        start.plusMillis(100L * n),
        ms(50),
        attrs(attributes));
  }

  /** Sends one trace of one call of {@code model} and returns its trace id once it is stored. */
  private String sendCall(String model, long input, long output) throws Exception {
    String traceId = OtlpSender.traceId();
    try (OtlpSender sender = new OtlpSender(api)) {
      sender.send(
          List.of(
              OtlpSender.span(
                  service,
                  traceId,
                  OtlpSender.spanId(),
                  null,
                  "chat " + model,
                  OtlpSender.now(),
                  ms(5),
                  Attributes.builder()
                      .put("gen_ai.request.model", model)
                      .put("gen_ai.usage.input_tokens", input)
                      .put("gen_ai.usage.output_tokens", output)
                      .build())));
    }
    SpanTable.await(
        "SELECT 1 FROM execution_traces WHERE trace_id = ?", traceId, r -> r.size() == 1, STORED);
    return traceId;
  }

  /** The stored cost of a one-span trace, as PostgreSQL prints it without trailing zeros. */
  private static String cost(String traceId) throws Exception {
    String cost =
        SpanTable.query("SELECT cost_usd FROM execution_traces WHERE trace_id = ?", traceId)
            .get(0)
            .get("cost_usd");
    return cost == null ? null : new BigDecimal(cost).stripTrailingZeros().toPlainString();
  }

  private static void assertCost(String expected, SpanTable.Row row) {
    assertEquals(
        0, new BigDecimal(expected).compareTo(new BigDecimal(row.get("cost_usd"))), row.toString());
  }

  private Map<String, JsonObject> prices() {
    Reply reply = api.get("/api/prices");
    assertEquals(200, reply.status(), reply.body());
    Map<String, JsonObject> byModel = new HashMap<>();
    for (JsonValue price : reply.json().getJsonArray("prices")) {
      byModel.put(price.asJsonObject().getString("model"), price.asJsonObject());
    }
    return byModel;
  }

  private Reply put(String model, String body) {
    return api.send(
        HttpRequest.newBuilder(api.uri("/api/prices/" + encode(model)))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  private Reply delete(String model) {
    return api.send(HttpRequest.newBuilder(api.uri("/api/prices/" + encode(model))).DELETE());
  }

  private static String encode(String model) {
    return URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void assertRefused(String parameter, Reply reply) {
    assertEquals(400, reply.status(), reply.body());
    assertEquals(parameter, reply.json().getString("parameter"), reply.body());
    assertFalse(reply.json().getString("error").isBlank());
  }

  private static BigDecimal number(JsonObject object, String name) {
    return object.getJsonNumber(name).bigDecimalValue();
  }

  private static Attributes attrs(Consumer<io.opentelemetry.api.common.AttributesBuilder> fill) {
    var builder = Attributes.builder();
    fill.accept(builder);
    return builder.build();
  }

  private static Duration ms(long millis) {
    return Duration.ofMillis(millis);
  }
}
