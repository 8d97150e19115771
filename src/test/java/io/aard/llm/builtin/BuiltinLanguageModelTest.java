package io.aard.llm.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.llm.AgentProfile;
import io.aard.llm.GenerationSpan;
import io.aard.llm.ProposedStep;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BuiltinLanguageModelTest {

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private SdkTracerProvider tracerProvider;
  private BuiltinLanguageModel model;

  @BeforeEach
  void setUp() {
    tracerProvider =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    model = new BuiltinLanguageModel();
    model.tracer = tracerProvider.get("test");
  }

  @AfterEach
  void tearDown() {
    tracerProvider.close();
  }

  private SpanData onlySpan() {
    assertEquals(1, spans().size(), () -> "expected one span, got " + spans());
    return spans().get(0);
  }

  @Test
  void namesItselfBuiltin() {
    assertEquals("builtin", model.provider());
    assertEquals("builtin-rules-1", model.model());
  }

  @Test
  void completionIsTracedAsABuiltinGenerateSpan() {
    String answer = model.complete("Say hello.");

    SpanData span = onlySpan();
    assertEquals("builtin.generate", span.getName());
    assertEquals(SpanKind.CLIENT, span.getKind());
    assertEquals("chat", span.getAttributes().get(GenerationSpan.OPERATION));
    assertEquals("builtin", span.getAttributes().get(GenerationSpan.PROVIDER));
    assertEquals("builtin-rules-1", span.getAttributes().get(GenerationSpan.REQUEST_MODEL));
    assertEquals("builtin-rules-1", span.getAttributes().get(GenerationSpan.RESPONSE_MODEL));
    assertEquals("complete", span.getAttributes().get(GenerationSpan.PURPOSE));
    assertEquals(3L, span.getAttributes().get(GenerationSpan.INPUT_TOKENS));
    assertEquals(Tokens.count(answer), span.getAttributes().get(GenerationSpan.OUTPUT_TOKENS));
    assertNull(span.getAttributes().get(GenerationSpan.SERVER_ADDRESS));
  }

  @Test
  void eachCallNamesItsPurpose() {
    String task = "calculate 1 + 2";
    model.decompose(task, model.analyze(task), List.of());

    assertEquals(
        List.of("analyze", "decompose"),
        spans().stream().map(s -> s.getAttributes().get(GenerationSpan.PURPOSE)).toList());
  }

  @Test
  void contentIsNotRecordedByDefault() {
    model.complete("secret prompt");

    SpanData span = onlySpan();
    assertNull(span.getAttributes().get(GenerationSpan.INPUT_MESSAGES));
    assertNull(span.getAttributes().get(GenerationSpan.OUTPUT_MESSAGES));
  }

  @Test
  void contentIsRecordedAsGenAiMessagesWhenCaptureIsOn() {
    model.captureContent = true;

    String answer = model.complete("Say \"hello\".");

    SpanData span = onlySpan();
    JsonArray input = parse(span.getAttributes().get(GenerationSpan.INPUT_MESSAGES));
    JsonArray output = parse(span.getAttributes().get(GenerationSpan.OUTPUT_MESSAGES));
    assertEquals("user", input.getJsonObject(0).getString("role"));
    assertEquals(
        "Say \"hello\".",
        input.getJsonObject(0).getJsonArray("parts").getJsonObject(0).getString("content"));
    assertEquals(
        "text", input.getJsonObject(0).getJsonArray("parts").getJsonObject(0).getString("type"));
    assertEquals("assistant", output.getJsonObject(0).getString("role"));
    assertEquals("stop", output.getJsonObject(0).getString("finish_reason"));
    assertEquals(
        answer,
        output.getJsonObject(0).getJsonArray("parts").getJsonObject(0).getString("content"));
  }

  @Test
  void decompositionContentListsTheSteps() {
    model.captureContent = true;

    model.decompose("calculate 1 + 2", null, List.of());

    String output =
        parse(onlySpan().getAttributes().get(GenerationSpan.OUTPUT_MESSAGES))
            .getJsonObject(0)
            .getJsonArray("parts")
            .getJsonObject(0)
            .getString("content");
    assertTrue(output.contains("\"tool\":\"calculator\""), output);
  }

  @Test
  void decompositionFitsStepsToTheGivenAgents() {
    List<AgentProfile> agents = List.of(new AgentProfile("helper", "", List.of("llm")));

    List<ProposedStep> steps = model.decompose("calculate 1 + 2", null, agents);

    assertEquals(
        List.of(new ProposedStep("Answer: Calculate 1 + 2", "helper", "llm", "Calculate 1 + 2")),
        steps);
    assertFalse(spans().isEmpty());
  }

  private static JsonArray parse(String json) {
    try (var reader = Json.createReader(new StringReader(json))) {
      return reader.readArray();
    }
  }

  /** The spans ended so far, oldest first. */
  private List<SpanData> spans() {
    return exported.getFinishedSpanItems();
  }
}
