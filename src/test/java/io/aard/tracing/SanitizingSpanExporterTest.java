package io.aard.tracing;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SanitizingSpanExporterTest {

  private static final AttributeKey<List<String>> TRUNCATED =
      AttributeKey.stringArrayKey(SpanSanitizer.TRUNCATED_KEY);

  /** What reaches the wrapped exporter. */
  private final InMemorySpanExporter collector = InMemorySpanExporter.create();

  private SdkTracerProvider tracerProvider;

  @AfterEach
  void tearDown() {
    if (tracerProvider != null) {
      tracerProvider.close();
    }
  }

  private Tracer tracer(SpanSanitizer sanitizer) {
    tracerProvider =
        SdkTracerProvider.builder()
            .addSpanProcessor(
                SimpleSpanProcessor.create(SanitizingSpanExporter.wrap(collector, sanitizer)))
            .build();
    return tracerProvider.get("test");
  }

  private Tracer defaults() {
    return tracer(
        SpanSanitizer.of(SpanSanitizer.DEFAULT_MAX_LENGTH, SpanSanitizer.DEFAULT_REDACTED));
  }

  private SpanData onlySpan() {
    List<SpanData> spans = collector.getFinishedSpanItems();
    assertEquals(1, spans.size(), () -> "expected one span, got " + spans);
    return spans.get(0);
  }

  private static String value(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.stringKey(key));
  }

  @Test
  void capturedAuthorizationHeaderIsRedacted() {
    defaults()
        .spanBuilder("GET /api/tasks")
        .setSpanKind(SpanKind.SERVER)
        .setAttribute(
            AttributeKey.stringArrayKey("http.request.header.authorization"),
            List.of("Bearer secret-key-123456"))
        .setAttribute("http.route", "/api/tasks")
        .startSpan()
        .end();

    SpanData span = onlySpan();
    assertEquals(
        List.of(SpanSanitizer.REDACTED),
        span.getAttributes().get(AttributeKey.stringArrayKey("http.request.header.authorization")));
    assertEquals("/api/tasks", value(span, "http.route"));
    assertTrue(!span.toString().contains("secret-key"), span.toString());
  }

  @Test
  void everyDefaultHeaderIsRedactedOnRequestAndResponseAndAsABareName() {
    Span span = defaults().spanBuilder("s").startSpan();
    for (String name : List.of("authorization", "cookie", "set-cookie", "x-api-key")) {
      span.setAttribute(name, "v1");
      span.setAttribute("http.request.header." + name, "v2");
      span.setAttribute("http.response.header." + name, "v3");
    }
    span.end();

    SpanData data = onlySpan();
    data.getAttributes()
        .forEach((key, value) -> assertEquals(SpanSanitizer.REDACTED, value, key.getKey()));
    assertEquals(12, data.getAttributes().size());
  }

  @Test
  void namesMatchCaseInsensitivelyAndWithUnderscoresForDashes() {
    defaults()
        .spanBuilder("s")
        .setAttribute("HTTP.Request.Header.Authorization", "Bearer k")
        .setAttribute("http.request.header.x_api_key", "k")
        .startSpan()
        .end();

    SpanData span = onlySpan();
    assertEquals(SpanSanitizer.REDACTED, value(span, "HTTP.Request.Header.Authorization"));
    assertEquals(SpanSanitizer.REDACTED, value(span, "http.request.header.x_api_key"));
  }

  @Test
  void similarButDifferentNamesAreKept() {
    defaults()
        .spanBuilder("s")
        .setAttribute("authorization_scheme", "Bearer")
        .setAttribute("http.request.header.cookies-enabled", "yes")
        .startSpan()
        .end();

    SpanData span = onlySpan();
    assertEquals("Bearer", value(span, "authorization_scheme"));
    assertEquals("yes", value(span, "http.request.header.cookies-enabled"));
  }

  @Test
  void redactedNumberOrFlagBecomesTheRedactedString() {
    tracer(SpanSanitizer.of(100, List.of("secret.count", "secret.flag")))
        .spanBuilder("s")
        .setAttribute("secret.count", 42L)
        .setAttribute("secret.flag", true)
        .startSpan()
        .end();

    SpanData span = onlySpan();
    assertEquals(SpanSanitizer.REDACTED, value(span, "secret.count"));
    assertNull(span.getAttributes().get(AttributeKey.longKey("secret.count")));
    assertEquals(SpanSanitizer.REDACTED, value(span, "secret.flag"));
  }

  @Test
  void configuredNamesReplaceTheDefaultsAndATrailingStarMatchesAPrefix() {
    tracer(SpanSanitizer.of(100, List.of("gen_ai.input.*", "x-tenant")))
        .spanBuilder("s")
        .setAttribute("gen_ai.input.messages", "[{\"role\":\"user\"}]")
        .setAttribute("http.request.header.x-tenant", "acme")
        .setAttribute("authorization", "kept: not configured")
        .startSpan()
        .end();

    SpanData span = onlySpan();
    assertEquals(SpanSanitizer.REDACTED, value(span, "gen_ai.input.messages"));
    assertEquals(SpanSanitizer.REDACTED, value(span, "http.request.header.x-tenant"));
    assertEquals("kept: not configured", value(span, "authorization"));
  }

  @Test
  void valueAtTheLimitIsKeptWhole() {
    String atLimit = "a".repeat(SpanSanitizer.DEFAULT_MAX_LENGTH);
    defaults().spanBuilder("s").setAttribute("aard.output", atLimit).startSpan().end();

    SpanData span = onlySpan();
    assertEquals(atLimit, value(span, "aard.output"));
    assertNull(span.getAttributes().get(TRUNCATED));
  }

  @Test
  void longValueIsTruncatedMarkedAndListed() {
    String long5000 = "b".repeat(5000);
    defaults()
        .spanBuilder("s")
        .setAttribute("gen_ai.output.messages", long5000)
        .setAttribute("short", "ok")
        .startSpan()
        .end();

    SpanData span = onlySpan();
    assertEquals(
        "b".repeat(4096) + "…[truncated 904 chars]", value(span, "gen_ai.output.messages"));
    assertEquals("ok", value(span, "short"));
    assertEquals(List.of("gen_ai.output.messages"), span.getAttributes().get(TRUNCATED));
  }

  @Test
  void truncationNeverSplitsASurrogatePair() {
    String emoji = "\uD83D\uDE00";
    tracer(SpanSanitizer.of(5, List.of()))
        .spanBuilder("s")
        .setAttribute("text", "abcd" + emoji + "efg")
        .startSpan()
        .end();

    assertEquals("abcd…[truncated 5 chars]", value(onlySpan(), "text"));
  }

  @Test
  void longElementsOfAStringArrayAreTruncated() {
    AttributeKey<List<String>> key = AttributeKey.stringArrayKey("aard.inputs");
    tracer(SpanSanitizer.of(3, List.of()))
        .spanBuilder("s")
        .setAttribute(key, List.of("abc", "abcdef"))
        .startSpan()
        .end();

    SpanData span = onlySpan();
    assertEquals(List.of("abc", "abc…[truncated 3 chars]"), span.getAttributes().get(key));
    assertEquals(List.of("aard.inputs"), span.getAttributes().get(TRUNCATED));
  }

  @Test
  void numbersAndFlagsAreNeverTruncated() {
    tracer(SpanSanitizer.of(1, List.of()))
        .spanBuilder("s")
        .setAttribute("aard.step_index", 123456L)
        .setAttribute("ok", true)
        .startSpan()
        .end();

    SpanData span = onlySpan();
    assertEquals(123456L, span.getAttributes().get(AttributeKey.longKey("aard.step_index")));
    assertEquals(true, span.getAttributes().get(AttributeKey.booleanKey("ok")));
  }

  @Test
  void eventAttributesAreTruncatedAndRedacted() {
    Span span = tracer(SpanSanitizer.of(10, List.of("authorization"))).spanBuilder("s").startSpan();
    span.addEvent(
        "exception",
        Attributes.of(
            AttributeKey.stringKey("exception.stacktrace"),
            "x".repeat(25),
            AttributeKey.stringKey("authorization"),
            "Bearer k"));
    span.end();

    EventData event = onlySpan().getEvents().get(0);
    assertEquals("exception", event.getName());
    assertEquals(
        "x".repeat(10) + "…[truncated 15 chars]",
        event.getAttributes().get(AttributeKey.stringKey("exception.stacktrace")));
    assertEquals(
        SpanSanitizer.REDACTED, event.getAttributes().get(AttributeKey.stringKey("authorization")));
    assertEquals(List.of("exception.stacktrace"), event.getAttributes().get(TRUNCATED));
  }

  @Test
  void longStatusDescriptionIsTruncatedAndItsCodeKept() {
    Span span = tracer(SpanSanitizer.of(4, List.of())).spanBuilder("s").startSpan();
    span.setStatus(StatusCode.ERROR, "division by zero");
    span.end();

    assertThat(onlySpan())
        .hasStatus(StatusData.create(StatusCode.ERROR, "divi…[truncated 12 chars]"));
  }

  @Test
  void everythingElseOfASanitizedSpanIsKept() {
    Span span =
        defaults()
            .spanBuilder("execution.execute_step")
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute("authorization", "k")
            .setAttribute("aard.tool_id", "t-1")
            .startSpan();
    String traceId = span.getSpanContext().getTraceId();
    String spanId = span.getSpanContext().getSpanId();
    span.end();

    assertThat(onlySpan())
        .hasName("execution.execute_step")
        .hasKind(SpanKind.INTERNAL)
        .hasTraceId(traceId)
        .hasSpanId(spanId)
        .hasAttribute(AttributeKey.stringKey("aard.tool_id"), "t-1")
        .hasTotalAttributeCount(2)
        .hasEnded();
  }

  @Test
  void spanThatNeedsNoChangeIsPassedOnAsIs() {
    SpanSanitizer sanitizer = SpanSanitizer.of(100, SpanSanitizer.DEFAULT_REDACTED);
    tracer(SpanSanitizer.of(100, List.of()))
        .spanBuilder("s")
        .setAttribute("a", "b")
        .startSpan()
        .end();
    SpanData span = onlySpan();

    assertSame(span, sanitizer.sanitize(span));
  }

  @Test
  void exporterPassesFlushAndShutdownOnAndIsNeverWrappedTwice() {
    SpanSanitizer sanitizer = SpanSanitizer.of(10, List.of());
    CountingCalls counting = new CountingCalls();
    SpanExporter once = SanitizingSpanExporter.wrap(counting, sanitizer);

    assertSame(once, SanitizingSpanExporter.wrap(once, sanitizer));
    assertTrue(once.flush().isSuccess());
    assertTrue(once.shutdown().isSuccess());
    assertEquals(1, counting.flushes.get());
    assertEquals(1, counting.shutdowns.get());
  }

  @Test
  void malformedNameIsRejected() {
    try {
      SpanSanitizer.of(10, List.of("bad name"));
    } catch (IllegalArgumentException expected) {
      assertTrue(expected.getMessage().contains("bad name"));
      return;
    }
    throw new AssertionError("a name with a space was accepted");
  }

  /**
   * Counts the flushes and shutdowns that reach the wrapped exporter: InMemorySpanExporter keeps
   * spans but does not say how often it was flushed or shut down.
   */
  private static final class CountingCalls implements SpanExporter {
    final AtomicInteger flushes = new AtomicInteger();
    final AtomicInteger shutdowns = new AtomicInteger();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      flushes.incrementAndGet();
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      shutdowns.incrementAndGet();
      return CompletableResultCode.ofSuccess();
    }
  }

  @Test
  void serverSpanOfARefusedRequestIsNeverExported() {
    Tracer tracer = defaults();
    for (long status : new long[] {401, 403}) {
      tracer
          .spanBuilder("GET")
          .setSpanKind(SpanKind.SERVER)
          .setAttribute("url.path", "/api/tasks")
          .setAttribute(AttributeKey.longKey("http.response.status_code"), status)
          .startSpan()
          .end();
    }
    // The same status on a client span (a tool calling a protected site) is kept, as is a 404.
    tracer
        .spanBuilder("GET")
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute(AttributeKey.longKey("http.response.status_code"), 401L)
        .startSpan()
        .end();
    tracer
        .spanBuilder("GET /api/tasks/{id}")
        .setSpanKind(SpanKind.SERVER)
        .setAttribute(AttributeKey.longKey("http.response.status_code"), 404L)
        .startSpan()
        .end();
    List<SpanData> spans = collector.getFinishedSpanItems();
    assertEquals(2, spans.size(), () -> "expected the client and the 404 span, got " + spans);
    assertTrue(spans.stream().noneMatch(SanitizingSpanExporter::isRefused));
  }
}
