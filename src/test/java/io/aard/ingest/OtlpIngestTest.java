package io.aard.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpIngestTest {

  private static final String TRACE = "5b8efff798038103d269b633813fc60c";
  private static final String SPAN = "eee19b7ec3c1b174";
  private static final String PARENT = "eee19b7ec3c1b173";
  private static final long NOW = 1_764_000_000_000_000_000L;
  private static final long OLDEST = NOW - 86_400_000_000_000L * 180;

  @Test
  void theOtlpJsonMappingWithHexIdsDecodes() throws Exception {
    String json =
        """
        {"resourceSpans":[{"resource":{"attributes":[
          {"key":"service.name","value":{"stringValue":"python-agent"}}]},
         "scopeSpans":[{"scope":{"name":"openinference","version":"1.2"},"spans":[{
          "traceId":"%s","spanId":"%s","parentSpanId":"%s","name":"lookup_order",
          "kind":3,"startTimeUnixNano":"%d","endTimeUnixNano":"%d",
          "attributes":[{"key":"gen_ai.usage.input_tokens","value":{"intValue":"42"}},
                        {"key":"ratio","value":{"doubleValue":0.5}},
                        {"key":"ok","value":{"boolValue":true}}],
          "status":{"code":2,"message":"boom"},
          "links":[{"traceId":"%s","spanId":"%s"}]}]}]}]}
        """
            .formatted(TRACE, SPAN, PARENT, NOW, NOW + 5_000_000, TRACE, PARENT);
    ExportTraceServiceRequest request =
        OtlpCodec.decode(json.getBytes(StandardCharsets.UTF_8), true);
    OtlpSpans.Converted converted = OtlpSpans.convert(request, NOW, OLDEST);
    assertEquals(0, converted.rejected());
    SpanData span = converted.spans().get(0);
    assertEquals(TRACE, span.getTraceId());
    assertEquals(SPAN, span.getSpanId());
    assertEquals(PARENT, span.getParentSpanId());
    assertEquals(SpanKind.CLIENT, span.getKind());
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertEquals(42L, span.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")));
    assertEquals(0.5, span.getAttributes().get(AttributeKey.doubleKey("ratio")));
    assertEquals(true, span.getAttributes().get(AttributeKey.booleanKey("ok")));
    assertEquals(PARENT, span.getLinks().get(0).getSpanContext().getSpanId());

    SpanRow row = new SpanRows(Map.of()).row(span, true);
    assertEquals("python-agent", row.serviceName());
    assertEquals("CLIENT", row.spanKind());
    assertEquals("ERROR", row.status());
    assertEquals("42", row.inputTokens());
    assertEquals("5.0", row.durationMs());
    assertTrue(
        row.attributes().contains("\"otel.scope.name\":\"openinference\""), row.attributes());
    assertTrue(row.attributes().contains("\"otel.scope.version\":\"1.2\""), row.attributes());
    assertTrue(
        row.attributes()
            .contains("\"aard.links\":[{\"trace_id\":\"" + TRACE + "\",\"span_id\":\"" + PARENT),
        row.attributes());
  }

  @Test
  void theSdksOwnJsonAndProtobufEncodingsDecodeToTheSameSpan() throws Exception {
    SpanData sent =
        io.opentelemetry.sdk.testing.trace.TestSpanData.builder()
            .setSpanContext(
                io.opentelemetry.api.trace.SpanContext.create(
                    TRACE,
                    SPAN,
                    io.opentelemetry.api.trace.TraceFlags.getSampled(),
                    io.opentelemetry.api.trace.TraceState.getDefault()))
            .setParentSpanContext(
                io.opentelemetry.api.trace.SpanContext.create(
                    TRACE,
                    PARENT,
                    io.opentelemetry.api.trace.TraceFlags.getSampled(),
                    io.opentelemetry.api.trace.TraceState.getDefault()))
            .setName("sdk")
            .setKind(SpanKind.PRODUCER)
            .setStartEpochNanos(NOW)
            .setEndEpochNanos(NOW + 10)
            .setStatus(io.opentelemetry.sdk.trace.data.StatusData.error())
            .setAttributes(
                io.opentelemetry.api.common.Attributes.builder()
                    .put("big", Long.MAX_VALUE)
                    .put("d", 1.5)
                    .build())
            // Not left at 0: the SDK encodes total minus present as dropped_attributes_count,
            // and the JSON mapping refuses a negative uint32.
            .setTotalAttributeCount(2)
            .setHasEnded(true)
            .setTotalRecordedEvents(0)
            .setTotalRecordedLinks(0)
            .build();
    var marshaler =
        io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler.create(List.of(sent));
    var json = new java.io.ByteArrayOutputStream();
    marshaler.writeJsonTo(json);
    var proto = new java.io.ByteArrayOutputStream();
    marshaler.writeBinaryTo(proto);
    for (ExportTraceServiceRequest request :
        List.of(
            OtlpCodec.decode(json.toByteArray(), true),
            OtlpCodec.decode(proto.toByteArray(), false))) {
      SpanData span = OtlpSpans.convert(request, NOW, OLDEST).spans().get(0);
      assertEquals(TRACE, span.getTraceId());
      assertEquals(SPAN, span.getSpanId());
      assertEquals(PARENT, span.getParentSpanId());
      assertEquals(SpanKind.PRODUCER, span.getKind());
      assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
      assertEquals(Long.MAX_VALUE, span.getAttributes().get(AttributeKey.longKey("big")));
      assertEquals(1.5, span.getAttributes().get(AttributeKey.doubleKey("d")));
    }
  }

  @Test
  void everyAttributeTypeKeepsItsType() {
    KeyValue map =
        kv(
            "map",
            AnyValue.newBuilder()
                .setKvlistValue(
                    KeyValueList.newBuilder()
                        .addValues(kv("a", AnyValue.newBuilder().setIntValue(1).build())))
                .build());
    KeyValue bytes =
        kv(
            "bytes",
            AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {1, 2})).build());
    KeyValue longs =
        kv(
            "longs",
            AnyValue.newBuilder()
                .setArrayValue(
                    ArrayValue.newBuilder()
                        .addValues(AnyValue.newBuilder().setIntValue(1))
                        .addValues(AnyValue.newBuilder().setIntValue(2)))
                .build());
    KeyValue mixed =
        kv(
            "mixed",
            AnyValue.newBuilder()
                .setArrayValue(
                    ArrayValue.newBuilder()
                        .addValues(AnyValue.newBuilder().setIntValue(1))
                        .addValues(AnyValue.newBuilder().setStringValue("x")))
                .build());
    var attributes = OtlpSpans.attributes(List.of(map, bytes, longs, mixed));
    assertEquals("{\"a\":1}", attributes.get(AttributeKey.stringKey("map")));
    assertEquals("AQI=", attributes.get(AttributeKey.stringKey("bytes")));
    assertEquals(List.of(1L, 2L), attributes.get(AttributeKey.longArrayKey("longs")));
    assertEquals("[1,\"x\"]", attributes.get(AttributeKey.stringKey("mixed")));
  }

  @Test
  void spansThatCannotBeStoredAreRefusedAndCounted() {
    Span good = span(TRACE, SPAN, NOW, NOW + 1).build();
    List<Span> bad =
        List.of(
            span("00000000000000000000000000000000", SPAN, NOW, NOW + 1).build(),
            span(TRACE, "eee19b7ec3c1b1", NOW, NOW + 1).build(),
            span(TRACE, SPAN, NOW, NOW - 1).build(),
            span(TRACE, SPAN, OLDEST - 1, OLDEST).build(),
            span(
                    TRACE,
                    SPAN,
                    NOW + OtlpSpans.MAX_FUTURE_NANOS + 1,
                    NOW + OtlpSpans.MAX_FUTURE_NANOS + 2)
                .build(),
            span(TRACE, SPAN, NOW, NOW + 1)
                .setParentSpanId(ByteString.copyFrom(new byte[3]))
                .build(),
            manyAttributes(OtlpSpans.MAX_ATTRIBUTES + 1));
    ExportTraceServiceRequest request =
        ExportTraceServiceRequest.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder()
                    .addScopeSpans(ScopeSpans.newBuilder().addSpans(good).addAllSpans(bad)))
            .build();
    OtlpSpans.Converted converted = OtlpSpans.convert(request, NOW, OLDEST);
    assertEquals(1, converted.spans().size());
    assertEquals(bad.size(), converted.rejected());
    assertTrue(
        converted.message().startsWith(bad.size() + " span(s) rejected; first: "),
        converted.message());
    assertTrue(converted.message().contains("trace_id"), converted.message());
    assertEquals(
        1,
        OtlpSpans.convert(request(manyAttributes(OtlpSpans.MAX_ATTRIBUTES)), NOW, OLDEST)
            .spans()
            .size());
  }

  @Test
  void aWrongLengthIdInJsonRefusesTheSpanNotTheRequest() throws Exception {
    String json =
        """
        {"resourceSpans":[{"scopeSpans":[{"spans":[
          {"traceId":"abc","spanId":"%s","name":"x","startTimeUnixNano":"%d","endTimeUnixNano":"%d"},
          {"traceId":"%s","spanId":"not-hex!","name":"y","startTimeUnixNano":"%d","endTimeUnixNano":"%d"}
        ]}]}]}
        """
            .formatted(SPAN, NOW, NOW, TRACE, NOW, NOW);
    OtlpSpans.Converted converted =
        OtlpSpans.convert(
            OtlpCodec.decode(json.getBytes(StandardCharsets.UTF_8), true), NOW, OLDEST);
    assertEquals(2, converted.rejected());
    assertEquals(0, converted.spans().size());
  }

  @Test
  void undecodableBodiesAreRefused() {
    byte[] valid = request(span(TRACE, SPAN, NOW, NOW + 1).build()).toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(valid, valid.length - 3);
    for (byte[] body :
        List.of(truncated, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 1, 2, 3})) {
      assertThrows(OtlpCodec.Undecodable.class, () -> OtlpCodec.decode(body, false));
    }
    for (String json :
        List.of(
            "not json",
            "[1,2]",
            "{\"resourceSpans\":\"no\"}",
            "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"name\":{\"a\":1}}]}]}]}",
            "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"soon\"}]}]}]}",
            "[".repeat(10_000))) {
      assertThrows(
          OtlpCodec.Undecodable.class,
          () -> OtlpCodec.decode(json.getBytes(StandardCharsets.UTF_8), true),
          json.length() > 80 ? json.substring(0, 80) : json);
    }
  }

  @Test
  void theAnswerCarriesPartialSuccessInTheRequestsEncoding() throws Exception {
    byte[] proto = OtlpCodec.response(2, "2 span(s) rejected", false);
    ExportTraceServiceResponse response = ExportTraceServiceResponse.parseFrom(proto);
    assertEquals(2, response.getPartialSuccess().getRejectedSpans());
    assertEquals("2 span(s) rejected", response.getPartialSuccess().getErrorMessage());
    assertEquals(0, OtlpCodec.response(0, "", false).length);
    String json = new String(OtlpCodec.response(1, "why", true), StandardCharsets.UTF_8);
    assertEquals("{\"partialSuccess\":{\"rejectedSpans\":\"1\",\"errorMessage\":\"why\"}}", json);
    assertEquals("{}", new String(OtlpCodec.response(0, "", true), StandardCharsets.UTF_8));
  }

  @Test
  void theContentTypeIsMatchedWithoutParameters() {
    assertEquals("application/json", OtlpTraceServlet.mediaType("Application/JSON; charset=utf-8"));
    assertEquals("", OtlpTraceServlet.mediaType(null));
    assertNull(null);
  }

  private static ExportTraceServiceRequest request(Span span) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(
                            kv("service.name", AnyValue.newBuilder().setStringValue("s").build())))
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("test"))
                        .addSpans(span)))
        .build();
  }

  private static Span manyAttributes(int count) {
    Span.Builder span = span(TRACE, SPAN, NOW, NOW + 1);
    for (int i = 0; i < count; i++) {
      span.addAttributes(kv("k" + i, AnyValue.newBuilder().setIntValue(i).build()));
    }
    return span.build();
  }

  private static Span.Builder span(String trace, String spanId, long start, long end) {
    return Span.newBuilder()
        .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(trace)))
        .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(spanId)))
        .setName("op")
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(end)
        .setStatus(Status.newBuilder());
  }

  private static KeyValue kv(String key, AnyValue value) {
    return KeyValue.newBuilder().setKey(key).setValue(value).build();
  }
}
