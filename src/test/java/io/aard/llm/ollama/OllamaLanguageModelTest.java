package io.aard.llm.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.llm.AgentProfile;
import io.aard.llm.GenerationSpan;
import io.aard.llm.LanguageModelException;
import io.aard.llm.LanguageModelException.Kind;
import io.aard.llm.ProposedStep;
import io.aard.llm.TaskAnalysis;
import io.aard.testing.FakeOllama;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OllamaLanguageModelTest {

  private static final List<AgentProfile> AGENTS =
      List.of(
          new AgentProfile("mathematician", "Calculates exactly.", List.of("calculator")),
          new AgentProfile("writer", "Writes prose.", List.of("llm", "text")));

  private static final TaskAnalysis ANALYSIS =
      new TaskAnalysis("Greet the team.", List.of("writing"), "low");

  private final List<SpanData> spans = new CopyOnWriteArrayList<>();
  private final SdkTracerProvider tracing =
      SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(new Collecting(spans)))
          .build();
  private final List<Call> calls = new CopyOnWriteArrayList<>();

  private record Call(String model, String system, String user, JsonObject format) {}

  private static final class Collecting implements SpanExporter {
    private final List<SpanData> spans;

    Collecting(List<SpanData> spans) {
      this.spans = spans;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @AfterEach
  void closeTracing() {
    tracing.close();
  }

  private OllamaLanguageModel model(boolean capture, String... answers) {
    var values =
        OllamaSettings.validate("http://ollama.internal:11434", "llama3.2", "5", "" + capture);
    var remaining = new CopyOnWriteArrayList<>(List.of(answers));
    return new OllamaLanguageModel(
        values,
        tracing.get("test"),
        (model, system, user, format) -> {
          calls.add(new Call(model, system, user, format));
          return new ChatResponse("llama3.2:latest", remaining.remove(0), 40, 12);
        });
  }

  private OllamaLanguageModel failing(LanguageModelException error) {
    var values = OllamaSettings.validate("https://ollama.example", "llama3.2", "5", "false");
    return new OllamaLanguageModel(
        values,
        tracing.get("test"),
        (model, system, user, format) -> {
          throw error;
        });
  }

  private static String step(String agent, String tool) {
    return "{\"description\": \"d\", \"agent\": \""
        + agent
        + "\", \"tool\": \""
        + tool
        + "\", \"input\": \"i\"}";
  }

  @Test
  void analyzeAsksWithTheAnalysisSchemaAndReadsTheAnswer() {
    OllamaLanguageModel model =
        model(
            false,
            "{\"summary\": \"Add numbers.\", \"capabilities\": [\"arithmetic\"],"
                + " \"complexity\": \"low\"}");

    TaskAnalysis analysis = model.analyze("What is 2 + 3?");

    assertEquals(new TaskAnalysis("Add numbers.", List.of("arithmetic"), "low"), analysis);
    assertEquals(JsonSchemas.analysis(), calls.get(0).format());
    assertEquals("What is 2 + 3?", calls.get(0).user());
    assertEquals("llama3.2", calls.get(0).model());
  }

  @Test
  void decomposeTellsTheModelTheAgentsToolsAndInputFormats() {
    OllamaLanguageModel model = model(false, "{\"steps\": [" + step("writer", "llm") + "]}");

    List<ProposedStep> steps = model.decompose("Greet the team", ANALYSIS, AGENTS);

    assertEquals(List.of(new ProposedStep("d", "writer", "llm", "i")), steps);
    Call call = calls.get(0);
    assertEquals(JsonSchemas.decomposition(AGENTS), call.format());
    assertTrue(call.system().contains("- writer: Writes prose. Tools: llm, text."), call.system());
    assertTrue(call.system().contains("calculator takes an arithmetic expression"));
    assertTrue(call.system().contains("word_count, char_count, sentence_count, uppercase"));
    assertTrue(call.user().startsWith("Task: Greet the team\n"), call.user());
    assertTrue(call.user().contains("Analysis: Greet the team."), call.user());
  }

  @Test
  void stepWhoseToolIsNotItsAgentsIsAnInvalidResponse() {
    OllamaLanguageModel model =
        model(
            false,
            "{\"steps\": [" + step("writer", "llm") + ", " + step("writer", "calculator") + "]}");

    var error =
        assertThrows(LanguageModelException.class, () -> model.decompose("Add", ANALYSIS, AGENTS));

    assertEquals(Kind.INVALID_RESPONSE, error.kind());
    assertEquals(
        "Ollama's answer does not fit the plan schema: $.steps[1]: fits none of the 2 branches"
            + " of anyOf (agent 'mathematician', agent 'writer'); closest is agent 'writer':"
            + " $.steps[1].tool: 'calculator' is not one of [llm, text]",
        error.getMessage());
  }

  @Test
  void answerOutsideTheSchemaIsAnInvalidResponseNamingTheViolation() {
    OllamaLanguageModel model = model(false, "{\"steps\": [" + step("writer", "hammer") + "]}");

    var error =
        assertThrows(LanguageModelException.class, () -> model.decompose("Add", ANALYSIS, AGENTS));

    assertEquals(Kind.INVALID_RESPONSE, error.kind());
    assertEquals(
        "Ollama's answer does not fit the plan schema: $.steps[0]: fits none of the 2 branches"
            + " of anyOf (agent 'mathematician', agent 'writer'); closest is agent 'writer':"
            + " $.steps[0].tool: 'hammer' is not one of [llm, text]",
        error.getMessage());
  }

  @Test
  void answerThatIsNotJsonIsAnInvalidResponse() {
    OllamaLanguageModel model = model(false, "I think the plan is...");

    var error = assertThrows(LanguageModelException.class, () -> model.analyze("Add"));

    assertEquals(Kind.INVALID_RESPONSE, error.kind());
    assertTrue(error.getMessage().startsWith("Ollama's answer is not JSON"), error.getMessage());
  }

  @Test
  void completeAsksWithoutFormatAndReturnsTheText() {
    OllamaLanguageModel model = model(false, "Hello!");

    assertEquals("Hello!", model.complete("Say hello"));
    assertNull(calls.get(0).format());
  }

  @Test
  void everyCallIsAnOllamaGenerateSpanWithGenAiAttributes() {
    model(false, "Hello!").complete("Say hello");

    SpanData span = spans.get(0);
    assertEquals("ollama.generate", span.getName());
    assertEquals(SpanKind.CLIENT, span.getKind());
    var attributes = span.getAttributes();
    assertEquals("ollama", attributes.get(GenerationSpan.PROVIDER));
    assertEquals("chat", attributes.get(GenerationSpan.OPERATION));
    assertEquals("complete", attributes.get(GenerationSpan.PURPOSE));
    assertEquals("llama3.2", attributes.get(GenerationSpan.REQUEST_MODEL));
    assertEquals("llama3.2:latest", attributes.get(GenerationSpan.RESPONSE_MODEL));
    assertEquals(40L, attributes.get(GenerationSpan.INPUT_TOKENS));
    assertEquals(12L, attributes.get(GenerationSpan.OUTPUT_TOKENS));
    assertEquals("ollama.internal", attributes.get(GenerationSpan.SERVER_ADDRESS));
    assertEquals(11434L, attributes.get(GenerationSpan.SERVER_PORT));
    assertNull(attributes.get(GenerationSpan.INPUT_MESSAGES));
    assertNull(attributes.get(GenerationSpan.OUTPUT_MESSAGES));
  }

  @Test
  void contentIsRecordedInTheGenAiMessageShapeOnlyWhenCaptureIsOn() {
    model(true, "Hello!").complete("Say hello");

    var attributes = spans.get(0).getAttributes();
    var input =
        Json.createReader(new StringReader(attributes.get(GenerationSpan.INPUT_MESSAGES)))
            .readArray();
    var output =
        Json.createReader(new StringReader(attributes.get(GenerationSpan.OUTPUT_MESSAGES)))
            .readArray();
    assertEquals("user", input.getJsonObject(1).getString("role"));
    assertEquals(
        Json.createReader(new StringReader("{\"type\": \"text\", \"content\": \"Say hello\"}"))
            .readObject(),
        input.getJsonObject(1).getJsonArray("parts").getJsonObject(0));
    assertEquals("assistant", output.getJsonObject(0).getString("role"));
    assertEquals(
        "Hello!",
        output.getJsonObject(0).getJsonArray("parts").getJsonObject(0).getString("content"));
  }

  @Test
  void failedCallEndsItsSpanWithErrorStatusAndException() {
    var unreachable =
        new LanguageModelException(
            Kind.UNAVAILABLE,
            "Ollama at https://ollama.example:443 is unreachable: connection refused");

    var error =
        assertThrows(LanguageModelException.class, () -> failing(unreachable).complete("Hi"));

    assertEquals(unreachable, error);
    SpanData span = spans.get(0);
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertEquals(unreachable.getMessage(), span.getStatus().getDescription());
    assertEquals("exception", span.getEvents().get(0).getName());
    assertEquals(443L, span.getAttributes().get(GenerationSpan.SERVER_PORT));
  }

  @Test
  void answerOutOfShapeAlsoFailsItsSpan() {
    OllamaLanguageModel model = model(false, "not json");

    assertThrows(LanguageModelException.class, () -> model.analyze("Add"));

    assertEquals(StatusCode.ERROR, spans.get(0).getStatus().getStatusCode());
    assertEquals(40L, spans.get(0).getAttributes().get(GenerationSpan.INPUT_TOKENS));
  }

  @Test
  void plansAgainstTheFakeOllamaFitTheAgents() throws Exception {
    try (FakeOllama ollama = new FakeOllama(0).start()) {
      var values = OllamaSettings.validate(ollama.baseUrl(), "fake-llama", "5", "false");
      OllamaLanguageModel model =
          new OllamaLanguageModel(values, tracing.get("test"), overHttp(values.baseUrl()));

      TaskAnalysis analysis = model.analyze("Greet the team");
      List<ProposedStep> steps = model.decompose("Greet the team", analysis, AGENTS);

      assertEquals(
          List.of(new ProposedStep("Use llm: Say hello", "writer", "llm", "Say hello")), steps);
      JsonObject request = ollama.requests().get(1);
      assertEquals(false, request.getBoolean("stream"));
      assertEquals(JsonSchemas.decomposition(AGENTS), request.getJsonObject("format"));
      assertEquals(0, request.getJsonObject("options").getInt("temperature"));
      assertEquals("Fake answer to: Say hello", model.complete("Say hello"));
    }
  }

  /** What {@link OllamaClient} does, with the JDK's client instead of Jakarta REST. */
  private static OllamaChat overHttp(URI baseUrl) {
    HttpClient http = HttpClient.newHttpClient();
    return (model, system, user, format) -> {
      HttpRequest request =
          HttpRequest.newBuilder(baseUrl.resolve("/api/chat"))
              .timeout(Duration.ofSeconds(5))
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      OllamaClient.request(model, system, user, format).toString()))
              .build();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
          throw OllamaClient.upstreamError(response.statusCode(), response.body());
        }
        return OllamaClient.parse(response.body(), model);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    };
  }
}
