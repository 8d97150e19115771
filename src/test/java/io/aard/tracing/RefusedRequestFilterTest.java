package io.aard.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefusedRequestFilterTest {

  private static final AttributeKey<Long> STATUS =
      AttributeKey.longKey("http.response.status_code");

  @Test
  void refusedRequestsNeverReachTheExportingProcessor() {
    InMemorySpanExporter exported = InMemorySpanExporter.create();
    SpanProcessor filtered = RefusedRequestFilter.wrap(SimpleSpanProcessor.create(exported));
    Tracer tracer = SdkTracerProvider.builder().addSpanProcessor(filtered).build().get("test");

    for (long status : new long[] {401, 403}) {
      tracer
          .spanBuilder("GET")
          .setSpanKind(SpanKind.SERVER)
          .setAttribute(STATUS, status)
          .startSpan()
          .end();
    }
    // Kept: a client span that got 401 (a tool calling a protected site), a 404, an OK request.
    tracer
        .spanBuilder("GET")
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute(STATUS, 401L)
        .startSpan()
        .end();
    tracer
        .spanBuilder("GET /x")
        .setSpanKind(SpanKind.SERVER)
        .setAttribute(STATUS, 404L)
        .startSpan()
        .end();
    tracer
        .spanBuilder("GET /y")
        .setSpanKind(SpanKind.SERVER)
        .setAttribute(STATUS, 200L)
        .startSpan()
        .end();

    List<SpanData> spans = exported.getFinishedSpanItems();
    assertEquals(
        List.of("GET", "GET /x", "GET /y"), spans.stream().map(SpanData::getName).toList());
    assertEquals(SpanKind.CLIENT, spans.get(0).getKind());
  }

  @Test
  void aFilterIsNeverWrappedTwice() {
    SpanProcessor once = RefusedRequestFilter.wrap(SpanProcessor.composite());
    assertSame(once, RefusedRequestFilter.wrap(once));
  }
}
