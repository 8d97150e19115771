package io.aard.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A model call's span: the GenAI conventions' {@code chat}, and {@code error.type} on failure. */
class GenerationSpanTest {

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private SdkTracerProvider tracerProvider;
  private Tracer tracer;

  @BeforeEach
  void setUp() {
    tracerProvider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    tracer = tracerProvider.get("test");
  }

  @AfterEach
  void tearDown() {
    tracerProvider.close();
  }

  @Test
  void aModelCallIsAChatClientSpan() {
    try (GenerationSpan span = start()) {
      span.response("llama3.2:1b", 12, 5);
    }

    SpanData span = onlySpan();
    assertEquals("ollama.generate", span.getName());
    assertEquals(SpanKind.CLIENT, span.getKind());
    assertEquals("chat", span.getAttributes().get(GenerationSpan.OPERATION));
    assertEquals("ollama", span.getAttributes().get(GenerationSpan.PROVIDER));
    assertNull(span.getAttributes().get(GenerationSpan.ERROR_TYPE));
  }

  @Test
  void aFailedCallIsTypedByItsExceptionsClass() {
    try (GenerationSpan span = start()) {
      span.fail(new IllegalStateException("no rule matched"));
    }

    SpanData span = onlySpan();
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertEquals(
        "java.lang.IllegalStateException", span.getAttributes().get(GenerationSpan.ERROR_TYPE));
  }

  @Test
  void aFailedCallWithAReasonIsTypedByTheReason() {
    try (GenerationSpan span = start()) {
      span.fail(new IllegalStateException("HTTP 503"), "503");
    }

    assertEquals("503", onlySpan().getAttributes().get(GenerationSpan.ERROR_TYPE));
  }

  private GenerationSpan start() {
    return GenerationSpan.start(
        tracer, "ollama", "chat", "complete", "llama3.2:1b", "127.0.0.1", 11434);
  }

  private SpanData onlySpan() {
    List<SpanData> spans = exported.getFinishedSpanItems();
    assertEquals(1, spans.size(), spans::toString);
    return spans.get(0);
  }
}
