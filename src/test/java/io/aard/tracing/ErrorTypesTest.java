package io.aard.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every ERROR span leaves the process with {@code error.type}: the one set where the status was
 * set, else one inferred at export (through {@link SanitizingSpanExporter}, as in the server).
 */
class ErrorTypesTest {

  private final InMemorySpanExporter collector = InMemorySpanExporter.create();
  private SdkTracerProvider tracerProvider;
  private Tracer tracer;

  @BeforeEach
  void setUp() {
    SpanSanitizer sanitizer =
        SpanSanitizer.of(SpanSanitizer.DEFAULT_MAX_LENGTH, SpanSanitizer.DEFAULT_REDACTED);
    tracerProvider =
        SdkTracerProvider.builder()
            .addSpanProcessor(
                SimpleSpanProcessor.create(SanitizingSpanExporter.wrap(collector, sanitizer)))
            .build();
    tracer = tracerProvider.get("test");
  }

  @AfterEach
  void tearDown() {
    tracerProvider.close();
  }

  /** What the {@code @WithSpan} interceptor leaves when its method throws. */
  @Test
  void anErrorSpanWithAnExceptionIsTypedByTheExceptionsClass() {
    Span span = tracer.spanBuilder("planning.generate_plan").startSpan();
    span.recordException(new UncheckedIOException("disk gone", new IOException()));
    span.setStatus(StatusCode.ERROR);
    span.end();

    assertEquals("java.io.UncheckedIOException", errorType(onlySpan()));
  }

  @Test
  void anErrorServerSpanWithoutAnExceptionIsTypedByItsStatusCode() {
    tracer
        .spanBuilder("POST /api/tasks/{task_id}/plan")
        .setSpanKind(SpanKind.SERVER)
        .setAttribute("http.response.status_code", 503L)
        .startSpan()
        .setStatus(StatusCode.ERROR)
        .end();

    assertEquals("503", errorType(onlySpan()));
  }

  @Test
  void anErrorSpanWithNothingToGoOnIsOther() {
    tracer.spanBuilder("work").startSpan().setStatus(StatusCode.ERROR, "failed").end();

    SpanData span = onlySpan();
    assertEquals(ErrorTypes.OTHER, errorType(span));
    assertEquals("failed", span.getStatus().getDescription());
  }

  @Test
  void theTypeSetWhereTheStatusWasSetIsKept() {
    Span span = tracer.spanBuilder("execution.execute_step").startSpan();
    span.recordException(new IllegalStateException("division by zero"));
    span.setStatus(StatusCode.ERROR, "division by zero");
    span.setAttribute(ErrorTypes.ERROR_TYPE, "tool_error");
    span.end();

    assertEquals("tool_error", errorType(onlySpan()));
  }

  @Test
  void spansThatAreNotErrorsGetNoType() {
    Span handled = tracer.spanBuilder("handled").startSpan();
    handled.recordException(new IllegalStateException("retried"));
    handled.end();
    tracer.spanBuilder("ok").startSpan().setStatus(StatusCode.OK).end();

    List<SpanData> spans = collector.getFinishedSpanItems();
    assertEquals(2, spans.size());
    for (SpanData span : spans) {
      assertNull(errorType(span), span::toString);
    }
  }

  @Test
  void theTypeIsSanitizedLikeEveryOtherAttribute() {
    Span span = tracer.spanBuilder("work").startSpan();
    span.setAttribute("authorization", "Bearer secret");
    span.recordException(new IllegalArgumentException("bad"));
    span.setStatus(StatusCode.ERROR);
    span.end();

    SpanData exported = onlySpan();
    assertEquals("java.lang.IllegalArgumentException", errorType(exported));
    assertEquals(
        SpanSanitizer.REDACTED,
        exported.getAttributes().get(AttributeKey.stringKey("authorization")));
  }

  @Test
  void ofIsTheExceptionsClassName() {
    assertEquals("java.lang.ArithmeticException", ErrorTypes.of(new ArithmeticException()));
  }

  private SpanData onlySpan() {
    List<SpanData> spans = collector.getFinishedSpanItems();
    assertEquals(1, spans.size(), spans::toString);
    return spans.get(0);
  }

  private static String errorType(SpanData span) {
    return span.getAttributes().get(ErrorTypes.ERROR_TYPE);
  }
}
