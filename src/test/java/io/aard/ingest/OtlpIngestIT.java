package io.aard.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Deployments;
import io.aard.testing.SpanTable;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.internal.http.HttpExporter;
import io.opentelemetry.exporter.internal.http.HttpExporterBuilder;
import io.opentelemetry.exporter.internal.marshal.Marshaler;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A running AARD as an OTLP/HTTP trace backend, fed by the OpenTelemetry Java SDK's own OTLP
 * exporter (protobuf, gzip, and the SDK's JSON encoding) and by hostile raw bodies: every span is
 * stored once with its service, kind, status, events, links, scope and typed attributes, a client's
 * span is the root of AARD's server span, and no input gets a 5xx.
 */
@ExtendWith(ArquillianExtension.class)
class OtlpIngestIT {

  private static final Duration STORED = Duration.ofSeconds(30);
  private static final HexFormat HEX = HexFormat.of();
  private static final Random RANDOM = new Random();
  private static final String SPANS_OF_TRACE =
      "SELECT span_id, parent_span_id, operation_name, service_name, span_kind, status,"
          + " status_message, input_tokens, output_tokens, tool_id, attributes::text AS attributes,"
          + " events::text AS events, resource::text AS resource FROM execution_traces"
          + " WHERE trace_id = ? ORDER BY start_time, span_id";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final Api api = new Api();
  private final String key = System.getProperty(Api.API_KEY_PROPERTY);
  private final HttpClient http = HttpClient.newHttpClient();

  private String endpoint() {
    return api.uri("/v1/traces").toString();
  }

  private OtlpHttpSpanExporter exporter(String compression) {
    OtlpHttpSpanExporterBuilder builder =
        OtlpHttpSpanExporter.builder().setEndpoint(endpoint()).setCompression(compression);
    if (key != null && !key.isBlank()) {
      builder.addHeader("Authorization", "Bearer " + key);
    }
    return builder.build();
  }

  @Test
  void theSdksProtobufExporterStoresEverySpanWithItsParts() throws Exception {
    String traceId = traceId();
    List<SpanData> spans = richTrace(traceId, "otlp-proto-agent");
    try (OtlpHttpSpanExporter exporter = exporter("none")) {
      assertTrue(exporter.export(spans).join(20, TimeUnit.SECONDS).isSuccess());
    }
    assertRichTraceStored(traceId, "otlp-proto-agent");
  }

  @Test
  void gzipAndTheSdksJsonEncodingStoreTheSameAndARetryLeavesOneRow() throws Exception {
    String gzipTrace = traceId();
    List<SpanData> gzipSpans = richTrace(gzipTrace, "otlp-gzip-agent");
    try (OtlpHttpSpanExporter exporter = exporter("gzip")) {
      assertTrue(exporter.export(gzipSpans).join(20, TimeUnit.SECONDS).isSuccess());
      // The same batch again, as a sender retries after a lost answer: still one row per span.
      assertTrue(exporter.export(gzipSpans).join(20, TimeUnit.SECONDS).isSuccess());
    }
    assertRichTraceStored(gzipTrace, "otlp-gzip-agent");

    String jsonTrace = traceId();
    List<SpanData> jsonSpans = richTrace(jsonTrace, "otlp-json-agent");
    HttpExporterBuilder<Marshaler> builder =
        new HttpExporterBuilder<>("otlp", "span", endpoint()).exportAsJson();
    if (key != null && !key.isBlank()) {
      builder.addConstantHeaders("Authorization", "Bearer " + key);
    }
    HttpExporter<Marshaler> json = builder.build();
    try {
      CompletableResultCode result =
          json.export(TraceRequestMarshaler.create(jsonSpans), jsonSpans.size());
      assertTrue(result.join(20, TimeUnit.SECONDS).isSuccess());
    } finally {
      json.shutdown();
    }
    assertRichTraceStored(jsonTrace, "otlp-json-agent");
    // The JSON body the SDK sends has hex ids: a raw post of it answers in JSON.
    HttpResponse<String> raw =
        post(jsonBody(richTrace(traceId(), "otlp-json-raw")), "application/json", null);
    assertEquals(200, raw.statusCode(), raw.body());
    assertTrue(raw.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    assertEquals("{}", raw.body());
  }

  @Test
  void aClientsSpanIsTheRootOfAardsServerSpan() throws Exception {
    try (OtlpHttpSpanExporter exporter = exporter("gzip");
        SdkTracerProvider provider =
            SdkTracerProvider.builder()
                .setResource(
                    Resource.getDefault().toBuilder().put("service.name", "it-client").build())
                .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .build()) {
      Span client =
          provider
              .get("it-client")
              .spanBuilder("call aard")
              .setSpanKind(SpanKind.CLIENT)
              .startSpan();
      String traceId = client.getSpanContext().getTraceId();
      try (Scope ignored = client.makeCurrent()) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri("/api/agents")).GET();
        W3CTraceContextPropagator.getInstance()
            .inject(Context.current(), request, HttpRequest.Builder::header);
        Api.Reply reply = api.send(request);
        assertEquals(200, reply.status(), reply.toString());
      } finally {
        client.end();
      }
      assertTrue(provider.forceFlush().join(20, TimeUnit.SECONDS).isSuccess());
      String clientSpanId = client.getSpanContext().getSpanId();
      SpanTable.await(
          "SELECT span_id FROM execution_traces WHERE trace_id = ?",
          traceId,
          rows -> rows.size() >= 2,
          STORED);
      JsonObject trace = api.get("/api/traces/" + traceId).json();
      var roots = trace.getJsonArray("spans");
      assertEquals(1, roots.size(), trace.toString());
      JsonObject root = roots.getJsonObject(0);
      assertEquals(clientSpanId, root.getString("span_id"), trace.toString());
      assertEquals("it-client", root.getString("service_name"));
      JsonObject server = root.getJsonArray("children").getJsonObject(0);
      assertEquals("SERVER", server.getString("span_kind"), trace.toString());
      assertEquals(clientSpanId, server.getString("parent_span_id"));
    }
  }

  @Test
  void tenThousandSpansInOneRequestAreAllStored() throws Exception {
    String service = "otlp-bulk-" + UUID.randomUUID();
    long now = System.currentTimeMillis() * 1_000_000L;
    Resource resource =
        Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), service));
    List<SpanData> spans = new ArrayList<>(10_000);
    for (int t = 0; t < 100; t++) {
      String traceId = traceId();
      for (int s = 0; s < 100; s++) {
        spans.add(
            TestSpanData.builder()
                .setSpanContext(context(traceId, spanId()))
                .setName("bulk")
                .setKind(SpanKind.INTERNAL)
                .setStartEpochNanos(now + s)
                .setEndEpochNanos(now + s + 1_000)
                .setStatus(StatusData.unset())
                .setHasEnded(true)
                .setTotalRecordedEvents(0)
                .setTotalRecordedLinks(0)
                .setResource(resource)
                .setAttributes(Attributes.of(AttributeKey.longKey("n"), (long) s))
                .setTotalAttributeCount(1)
                .build());
      }
    }
    try (OtlpHttpSpanExporter exporter = exporter("gzip")) {
      assertTrue(exporter.export(spans).join(60, TimeUnit.SECONDS).isSuccess());
    }
    SpanTable.await(
        "SELECT count(*) AS n FROM execution_traces WHERE service_name = ?",
        service,
        rows -> rows.get(0).get("n").equals("10000"),
        Duration.ofSeconds(60));
  }

  @Test
  void hostileBodiesGetClearFourHundredsNeverAFiveHundred() throws Exception {
    byte[] valid = protoBody(richTrace(traceId(), "otlp-hostile"));
    assertStatus(
        400,
        post(java.util.Arrays.copyOf(valid, valid.length - 7), "application/x-protobuf", null));
    byte[] garbage = new byte[4096];
    RANDOM.nextBytes(garbage);
    garbage[0] = (byte) 0xff;
    assertStatus(400, post(garbage, "application/x-protobuf", null));
    assertStatus(400, post(garbage, "application/x-protobuf", "gzip"));
    assertStatus(400, post(bytes("{\"resourceSpans\":\"nope\"}"), "application/json", null));
    assertStatus(
        400,
        post(
            bytes(
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"soon\"}]}]}]}"),
            "application/json",
            null));
    assertStatus(400, post(bytes("[".repeat(100_000)), "application/json", null));
    assertStatus(415, post(bytes("hello"), "text/plain", null));
    assertStatus(415, post(valid, "application/x-protobuf", "br"));
    // Over the limit as sent, and as a small gzip that inflates past it.
    assertStatus(
        413, post(new byte[OtlpTraceServlet.MAX_BODY_BYTES + 1], "application/x-protobuf", null));
    assertStatus(
        413,
        post(
            gzip(new byte[OtlpTraceServlet.MAX_BODY_BYTES + 1]), "application/x-protobuf", "gzip"));
  }

  @Test
  void spansThatCannotBeStoredAreCountedInPartialSuccess() throws Exception {
    String traceId = traceId();
    long now = System.currentTimeMillis() * 1_000_000L;
    AttributesBuilderHolder many = new AttributesBuilderHolder();
    for (int i = 0; i < 2_000; i++) {
      many.builder.put("k" + i, i);
    }
    List<SpanData> spans =
        List.of(
            span(traceId, spanId(), now, now + 1_000, Attributes.empty()),
            span(traceId, spanId(), now, now - 1_000, Attributes.empty()),
            span(
                traceId,
                spanId(),
                now + 7_200_000_000_000L,
                now + 7_200_000_001_000L,
                Attributes.empty()),
            span(
                traceId,
                spanId(),
                now - 86_400_000_000_000L * 800,
                now - 86_400_000_000_000L * 800 + 1,
                Attributes.empty()),
            span(traceId, spanId(), now, now + 1_000, many.builder.build()));
    HttpResponse<byte[]> answer = postBytes(protoBody(spans), "application/x-protobuf");
    assertEquals(200, answer.statusCode());
    ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(answer.body());
    assertEquals(4, response.getPartialSuccess().getRejectedSpans());
    assertTrue(response.getPartialSuccess().getErrorMessage().contains("rejected"));
    // Ids of the wrong length, in the JSON mapping: refused span by span, not the request.
    String json =
        "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"abcd\",\"spanId\":\"0102030405060708\","
            + "\"name\":\"x\",\"startTimeUnixNano\":\""
            + now
            + "\",\"endTimeUnixNano\":\""
            + now
            + "\"},"
            + "{\"traceId\":\""
            + traceId
            + "\",\"spanId\":\"01020304050607\",\"name\":\"y\","
            + "\"startTimeUnixNano\":\""
            + now
            + "\",\"endTimeUnixNano\":\""
            + now
            + "\"}]}]}]}";
    HttpResponse<String> jsonAnswer = post(bytes(json), "application/json", null);
    assertEquals(200, jsonAnswer.statusCode(), jsonAnswer.body());
    assertTrue(jsonAnswer.body().contains("\"rejectedSpans\":\"2\""), jsonAnswer.body());
    List<SpanTable.Row> rows = SpanTable.await(SPANS_OF_TRACE, traceId, r -> r.size() >= 1, STORED);
    assertEquals(1, rows.size(), rows.toString());
    assertEquals(
        "0",
        SpanTable.query(
                "SELECT count(*) AS n FROM execution_traces_default WHERE trace_id = ?", traceId)
            .get(0)
            .get("n"));
  }

  private static final class AttributesBuilderHolder {
    final io.opentelemetry.api.common.AttributesBuilder builder = Attributes.builder();
  }

  private void assertRichTraceStored(String traceId, String service) throws Exception {
    List<SpanTable.Row> rows = SpanTable.await(SPANS_OF_TRACE, traceId, r -> r.size() >= 2, STORED);
    assertEquals(2, rows.size(), rows.toString());
    SpanTable.Row root = rows.get(0);
    SpanTable.Row child = rows.get(1);
    assertEquals(service, root.get("service_name"));
    assertEquals("invoke_agent", root.get("operation_name"));
    assertEquals("SERVER", root.get("span_kind"));
    assertEquals("OK", root.get("status"));
    assertEquals(null, root.get("parent_span_id"));
    assertEquals(root.get("span_id"), child.get("parent_span_id"));
    assertEquals("CLIENT", child.get("span_kind"));
    assertEquals("ERROR", child.get("status"));
    assertEquals("order not found", child.get("status_message"));
    assertEquals("120", child.get("input_tokens"));
    assertEquals("7", child.get("output_tokens"));
    // Another system's id, not a UUID: in its column, and found by the trace API's id filter.
    assertEquals("lookup_order", child.get("tool_id"));
    String found = api.get("/api/traces?tool_id=lookup_order&service_name=" + service).body();
    assertTrue(found.contains(traceId), found);
    String attributes = child.get("attributes");
    assertTrue(attributes.contains("\"gen_ai.tool.name\": \"lookup_order\""), attributes);
    assertTrue(attributes.contains("\"tool_id\": \"lookup_order\""), attributes);
    assertTrue(attributes.contains("\"ratio\": 0.25"), attributes);
    assertTrue(attributes.contains("\"cached\": true"), attributes);
    assertTrue(attributes.contains("\"tags\": [\"a\", \"b\"]"), attributes);
    assertTrue(attributes.contains("\"authorization\": \"[REDACTED]\""), attributes);
    assertTrue(
        attributes.contains("\"otel.scope.name\": \"openinference.instrumentation\""), attributes);
    assertTrue(attributes.contains("\"otel.scope.version\": \"0.1.9\""), attributes);
    assertTrue(attributes.contains("\"aard.links\": [{\"span_id\""), attributes);
    assertTrue(child.get("events").contains("\"name\": \"retry\""), child.get("events"));
    assertTrue(child.get("events").contains("\"attempt\": 2"), child.get("events"));
    assertTrue(
        root.get("resource").contains("\"deployment.environment\": \"it\""), root.get("resource"));
  }

  private static List<SpanData> richTrace(String traceId, String service) {
    long now = System.currentTimeMillis() * 1_000_000L;
    Resource resource =
        Resource.create(
            Attributes.builder()
                .put("service.name", service)
                .put("deployment.environment", "it")
                .build());
    InstrumentationScopeInfo scope =
        InstrumentationScopeInfo.builder("openinference.instrumentation")
            .setVersion("0.1.9")
            .build();
    String rootId = spanId();
    SpanData root =
        TestSpanData.builder()
            .setSpanContext(context(traceId, rootId))
            .setName("invoke_agent")
            .setKind(SpanKind.SERVER)
            .setStartEpochNanos(now)
            .setEndEpochNanos(now + 50_000_000)
            .setStatus(StatusData.ok())
            .setHasEnded(true)
            .setTotalRecordedEvents(0)
            .setTotalRecordedLinks(0)
            .setResource(resource)
            .setInstrumentationScopeInfo(scope)
            .build();
    SpanData child =
        TestSpanData.builder()
            .setSpanContext(context(traceId, spanId()))
            .setParentSpanContext(context(traceId, rootId))
            .setName("execute_tool lookup_order")
            .setKind(SpanKind.CLIENT)
            .setStartEpochNanos(now + 1_000_000)
            .setEndEpochNanos(now + 20_000_000)
            .setStatus(StatusData.create(StatusCode.ERROR, "order not found"))
            .setHasEnded(true)
            .setAttributes(
                Attributes.builder()
                    .put("gen_ai.tool.name", "lookup_order")
                    .put("tool_id", "lookup_order")
                    .put("gen_ai.usage.input_tokens", 120L)
                    .put("gen_ai.usage.output_tokens", 7L)
                    .put("ratio", 0.25)
                    .put("cached", true)
                    .put(AttributeKey.stringArrayKey("tags"), List.of("a", "b"))
                    .put("authorization", "Bearer secret")
                    .build())
            // As the SDK counts them: dropped = total - present, never negative.
            .setTotalAttributeCount(8)
            .setEvents(
                List.of(
                    EventData.create(
                        now + 2_000_000,
                        "retry",
                        Attributes.of(AttributeKey.longKey("attempt"), 2L))))
            .setTotalRecordedEvents(1)
            .setLinks(List.of(LinkData.create(context(traceId(), spanId()))))
            .setTotalRecordedLinks(1)
            .setResource(resource)
            .setInstrumentationScopeInfo(scope)
            .build();
    return List.of(root, child);
  }

  private static SpanData span(
      String traceId, String spanId, long start, long end, Attributes attributes) {
    return TestSpanData.builder()
        .setSpanContext(context(traceId, spanId))
        .setName("partial")
        .setKind(SpanKind.INTERNAL)
        .setStartEpochNanos(start)
        .setEndEpochNanos(end)
        .setStatus(StatusData.unset())
        .setHasEnded(true)
        .setTotalRecordedEvents(0)
        .setTotalRecordedLinks(0)
        .setAttributes(attributes)
        .setTotalAttributeCount(attributes.size())
        .setResource(
            Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "otlp-partial")))
        .build();
  }

  private static SpanContext context(String traceId, String spanId) {
    return SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
  }

  private static String traceId() {
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    id[0] |= 1;
    return HEX.formatHex(id);
  }

  private static String spanId() {
    byte[] id = new byte[8];
    RANDOM.nextBytes(id);
    id[0] |= 1;
    return HEX.formatHex(id);
  }

  private static byte[] protoBody(Collection<SpanData> spans) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(spans).writeBinaryTo(out);
    return out.toByteArray();
  }

  private static byte[] jsonBody(Collection<SpanData> spans) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TraceRequestMarshaler.create(spans).writeJsonTo(out);
    return out.toByteArray();
  }

  private static byte[] gzip(byte[] body) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
      zip.write(body);
    }
    return out.toByteArray();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private HttpRequest.Builder request(byte[] body, String contentType, String encoding) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(endpoint()))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      request.header("Content-Encoding", encoding);
    }
    if (key != null && !key.isBlank()) {
      request.header("Authorization", "Bearer " + key);
    }
    return request;
  }

  private HttpResponse<String> post(byte[] body, String contentType, String encoding)
      throws Exception {
    return http.send(
        request(body, contentType, encoding).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<byte[]> postBytes(byte[] body, String contentType) throws Exception {
    return http.send(
        request(body, contentType, null).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  private static void assertStatus(int expected, HttpResponse<String> response) {
    assertNotNull(response);
    assertEquals(expected, response.statusCode(), response.body());
  }
}
