package io.aard.llm.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.AardException;
import io.aard.llm.AgentProfile;
import io.aard.llm.GenerationSpan;
import io.aard.llm.LanguageModelException;
import io.aard.llm.LanguageModelException.Kind;
import io.aard.llm.ProposedStep;
import io.aard.llm.StepReferences;
import io.aard.llm.TaskAnalysis;
import io.aard.testing.FakeOllama;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.ProcessingException;
import java.io.IOException;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OllamaLanguageModelTest {

  private static final List<AgentProfile> AGENTS =
      List.of(
          new AgentProfile("mathematician", "Calculates exactly.", List.of("calculator")),
          new AgentProfile("writer", "Writes prose.", List.of("llm", "text")));

  private static final TaskAnalysis ANALYSIS =
      new TaskAnalysis("Greet the team.", List.of("writing"), "low");

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final SdkTracerProvider tracing =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final FakeTiming timing = new FakeTiming();

  /** One request the model sent, as the scripted chat saw it. */
  private record Call(
      String model, List<ChatMessage> messages, JsonObject format, Duration timeout) {

    String system() {
      return messages.get(0).content();
    }

    String user() {
      return messages.get(1).content();
    }
  }

  /** A clock that moves only when told to; sleeping records the wait and moves it on. */
  private static final class FakeTiming implements Timing {
    private final List<Duration> waits = new CopyOnWriteArrayList<>();
    private volatile long now;
    private volatile boolean interruptedWhileSleeping;

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleep(Duration wait) throws InterruptedException {
      if (interruptedWhileSleeping) {
        throw new InterruptedException("sleep interrupted");
      }
      waits.add(wait);
      now += wait.toNanos();
    }

    @Override
    public double random() {
      return 0;
    }

    void advance(Duration duration) {
      now += duration.toNanos();
    }
  }

  /** The spans ended so far, oldest first. */
  private List<SpanData> spans() {
    return exported.getFinishedSpanItems();
  }

  @AfterEach
  void closeTracing() {
    tracing.close();
  }

  private static OllamaSettings.Values settings(
      boolean capture, int timeoutSeconds, int answerAttempts, int requestAttempts) {
    return OllamaSettings.validate(
        "http://ollama.internal:11434",
        "llama3.2",
        "" + timeoutSeconds,
        "" + capture,
        "" + answerAttempts,
        "" + requestAttempts);
  }

  /**
   * A model whose chat plays {@code replies} in order: a string is the model's answer, an exception
   * is thrown; each request takes {@code requestTime} on the fake clock.
   */
  private OllamaLanguageModel scripted(
      OllamaSettings.Values values, Duration requestTime, Object... replies) {
    var remaining = new CopyOnWriteArrayList<>(List.of(replies));
    return new OllamaLanguageModel(
        values,
        tracing.get("test"),
        (model, messages, format, timeout) -> {
          calls.add(new Call(model, messages, format, timeout));
          timing.advance(requestTime);
          Object reply = remaining.remove(0);
          if (reply instanceof RuntimeException e) {
            throw e;
          }
          return new ChatResponse("llama3.2:latest", (String) reply, 40, 12);
        },
        timing);
  }

  private OllamaLanguageModel model(boolean capture, Object... replies) {
    return scripted(
        settings(
            capture,
            5,
            OllamaSettings.DEFAULT_ANSWER_ATTEMPTS,
            OllamaSettings.DEFAULT_REQUEST_ATTEMPTS),
        Duration.ZERO,
        replies);
  }

  /** A model that is asked once: no re-ask, no retry. */
  private OllamaLanguageModel once(Object... replies) {
    return scripted(settings(false, 5, 1, 1), Duration.ZERO, replies);
  }

  private OllamaLanguageModel failing(LanguageModelException error) {
    var values =
        OllamaSettings.validate("https://ollama.example", "llama3.2", "5", "false", "2", "5");
    return new OllamaLanguageModel(
        values,
        tracing.get("test"),
        (model, messages, format, timeout) -> {
          throw error;
        },
        timing);
  }

  private static ChatFailure status(int status) {
    return OllamaClient.upstreamError(status, "{\"error\":\"status " + status + "\"}", null);
  }

  private static String plan(String... steps) {
    return "{\"steps\": [" + String.join(", ", steps) + "]}";
  }

  private static String step(String agent, String tool, String input) {
    return "{\"description\": \"d\", \"agent\": \""
        + agent
        + "\", \"tool\": \""
        + tool
        + "\", \"input\": \""
        + input
        + "\"}";
  }

  private static String step(String agent, String tool) {
    return step(agent, tool, "i");
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
    OllamaLanguageModel model = once(plan(step("writer", "llm"), step("writer", "calculator")));

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
    OllamaLanguageModel model = once(plan(step("writer", "hammer")));

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
    OllamaLanguageModel model = once("I think the plan is...");

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

    SpanData span = spans().get(0);
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
    assertEquals(1L, attributes.get(GenerationSpan.ATTEMPT));
    assertNull(attributes.get(GenerationSpan.ERROR_TYPE));
    assertNull(attributes.get(GenerationSpan.INPUT_MESSAGES));
    assertNull(attributes.get(GenerationSpan.OUTPUT_MESSAGES));
  }

  @Test
  void contentIsRecordedInTheGenAiMessageShapeOnlyWhenCaptureIsOn() {
    model(true, "Hello!").complete("Say hello");

    var attributes = spans().get(0).getAttributes();
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
    SpanData span = spans().get(0);
    assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode());
    assertEquals(unreachable.getMessage(), span.getStatus().getDescription());
    assertEquals("exception", span.getEvents().get(0).getName());
    assertEquals(443L, span.getAttributes().get(GenerationSpan.SERVER_PORT));
    assertEquals("unavailable", span.getAttributes().get(GenerationSpan.ERROR_TYPE));
    assertEquals(1, spans().size());
  }

  @Test
  void answerOutOfShapeAlsoFailsItsSpan() {
    OllamaLanguageModel model = once("not json");

    assertThrows(LanguageModelException.class, () -> model.analyze("Add"));

    assertEquals(StatusCode.ERROR, spans().get(0).getStatus().getStatusCode());
    assertEquals(40L, spans().get(0).getAttributes().get(GenerationSpan.INPUT_TOKENS));
  }

  @Test
  void decomposeTellsTheModelHowAStepUsesAnEarlierStepsOutput() {
    OllamaLanguageModel model = model(false, plan(step("writer", "llm")));

    model.decompose("Multiply and describe", ANALYSIS, AGENTS);

    String system = calls.get(0).system();
    assertTrue(system.contains("write " + StepReferences.SYNTAX), system);
    assertTrue(
        system.contains(
            "{\"description\":\"Multiply 17 by 23\",\"agent\":\"mathematician\","
                + "\"tool\":\"calculator\",\"input\":\"17 * 23\"}"),
        system);
    assertTrue(
        system.contains(
            "\"agent\":\"writer\",\"tool\":\"llm\","
                + "\"input\":\"Write one sentence about the result {{steps.0.output}}\""),
        system);
  }

  @Test
  void answerOffTheSchemaIsSentBackWithTheViolationsAndTheNextAnswerIsUsed() {
    String offSchema = plan(step("writer", "hammer"));
    OllamaLanguageModel model = model(false, offSchema, plan(step("writer", "llm")));

    List<ProposedStep> steps = model.decompose("Greet the team", ANALYSIS, AGENTS);

    assertEquals(List.of(new ProposedStep("d", "writer", "llm", "i")), steps);
    assertEquals(2, calls.size());
    List<ChatMessage> reask = calls.get(1).messages();
    assertEquals(calls.get(0).messages(), reask.subList(0, 2));
    assertEquals(ChatMessage.assistant(offSchema), reask.get(2));
    assertEquals("user", reask.get(3).role());
    assertEquals(
        "Your answer was rejected: $.steps[0]: fits none of the 2 branches of anyOf (agent"
            + " 'mathematician', agent 'writer'); closest is agent 'writer': $.steps[0].tool:"
            + " 'hammer' is not one of [llm, text]. Answer again with one JSON object that fits the"
            + " schema.",
        reask.get(3).content());
    assertEquals(calls.get(0).format(), calls.get(1).format());
    assertEquals(2, spans().size());
    assertEquals(StatusCode.ERROR, spans().get(0).getStatus().getStatusCode());
    assertEquals("schema_mismatch", spans().get(0).getAttributes().get(GenerationSpan.ERROR_TYPE));
    assertEquals(1L, spans().get(0).getAttributes().get(GenerationSpan.ATTEMPT));
    assertEquals(StatusCode.UNSET, spans().get(1).getStatus().getStatusCode());
    assertEquals(2L, spans().get(1).getAttributes().get(GenerationSpan.ATTEMPT));
    assertNull(spans().get(1).getAttributes().get(GenerationSpan.ERROR_TYPE));
  }

  @Test
  void answerThatIsNotJsonIsAskedAgainAsNotJson() {
    OllamaLanguageModel model =
        model(
            false,
            "I think the task is simple.",
            "{\"summary\": \"Add.\", \"capabilities\": [], \"complexity\": \"low\"}");

    assertEquals(new TaskAnalysis("Add.", List.of(), "low"), model.analyze("Add"));
    assertEquals("not_json", spans().get(0).getAttributes().get(GenerationSpan.ERROR_TYPE));
    String reask = calls.get(1).messages().get(3).content();
    assertTrue(reask.startsWith("Your answer was rejected: it is not JSON ("), reask);
  }

  @Test
  void stepWhoseToolIsNotItsAgentsIsAskedAgainNamingTheAgentsTools() {
    OllamaLanguageModel model =
        model(false, plan(step("writer", "calculator")), plan(step("mathematician", "calculator")));

    model.decompose("Add", ANALYSIS, AGENTS);

    // The schema ties each tool to its agent, so the pair fails the schema itself.
    assertEquals("schema_mismatch", spans().get(0).getAttributes().get(GenerationSpan.ERROR_TYPE));
    String reask = calls.get(1).messages().get(3).content();
    assertTrue(
        reask.contains(
            "closest is agent 'writer': $.steps[0].tool: 'calculator' is not one of"
                + " [llm, text]"),
        reask);
  }

  @Test
  void stepReferringToAStepThatIsNotBeforeItIsAskedAgain() {
    String forward =
        plan(
            step("writer", "llm", "Summarise {{steps.1.output}}"),
            step("mathematician", "calculator", "2 + 2"));
    String backward =
        plan(
            step("mathematician", "calculator", "2 + 2"),
            step("writer", "llm", "Summarise {{steps.0.output}}"));
    OllamaLanguageModel model = model(false, forward, backward);

    List<ProposedStep> steps = model.decompose("Add and summarise", ANALYSIS, AGENTS);

    assertEquals("Summarise {{steps.0.output}}", steps.get(1).input());
    assertEquals(
        "bad_step_reference", spans().get(0).getAttributes().get(GenerationSpan.ERROR_TYPE));
    String reask = calls.get(1).messages().get(3).content();
    assertTrue(reask.contains("$.steps[0].input: {{steps.1.output}} refers to step 1"), reask);
  }

  @Test
  void answerThatNeverFitsIsAnInvalidResponseAfterExactlyTheConfiguredAttempts() {
    String offSchema = plan(step("writer", "hammer"));
    OllamaLanguageModel model =
        scripted(
            settings(false, 5, 3, 5),
            Duration.ZERO,
            offSchema,
            offSchema,
            offSchema,
            plan(step("writer", "llm")));

    var error =
        assertThrows(LanguageModelException.class, () -> model.decompose("Add", ANALYSIS, AGENTS));

    assertEquals(Kind.INVALID_RESPONSE, error.kind());
    assertEquals(AardException.Category.UPSTREAM, error.kind().category());
    assertEquals(
        "Ollama's answer does not fit the plan schema: $.steps[0]: fits none of the 2 branches of"
            + " anyOf (agent 'mathematician', agent 'writer'); closest is agent 'writer':"
            + " $.steps[0].tool: 'hammer' is not one of [llm, text] (after 3 attempts)",
        error.getMessage());
    assertEquals(3, calls.size());
    assertEquals(6, calls.get(2).messages().size());
    assertEquals(3, spans().size());
    spans().forEach(span -> assertEquals(StatusCode.ERROR, span.getStatus().getStatusCode()));
    assertEquals(List.of(), timing.waits);
  }

  @Test
  void freeTextIsNeverAskedAgain() {
    OllamaLanguageModel model = model(false, "not json at all");

    assertEquals("not json at all", model.complete("Say something"));
    assertEquals(1, calls.size());
  }

  @Test
  void transientFailuresAreRetriedWithBackoffAsSiblingSpans() {
    OllamaLanguageModel model = model(false, status(503), status(503), "Hello!");
    Tracer tracer = tracing.get("test");
    Span parent = tracer.spanBuilder("parent").startSpan();

    String answer;
    try (Scope ignored = parent.makeCurrent()) {
      answer = model.complete("Say hello");
    } finally {
      parent.end();
    }

    assertEquals("Hello!", answer);
    assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), timing.waits);
    assertEquals(3, calls.size());
    assertEquals(calls.get(0).messages(), calls.get(2).messages());
    List<SpanData> attempts =
        spans().stream().filter(span -> span.getName().equals("ollama.generate")).toList();
    assertEquals(3, attempts.size());
    for (int i = 0; i < 3; i++) {
      SpanData attempt = attempts.get(i);
      assertEquals(parent.getSpanContext().getSpanId(), attempt.getParentSpanId());
      assertEquals(i + 1L, attempt.getAttributes().get(GenerationSpan.ATTEMPT));
    }
    assertEquals("503", attempts.get(0).getAttributes().get(GenerationSpan.ERROR_TYPE));
    assertEquals(StatusCode.ERROR, attempts.get(1).getStatus().getStatusCode());
    assertEquals(StatusCode.UNSET, attempts.get(2).getStatus().getStatusCode());
  }

  @Test
  void refusedAndDroppedConnectionsAreRetried() {
    var refused =
        OllamaClient.failure(
            new ProcessingException(new ConnectException("Connection refused")),
            URI.create("http://ollama.internal:11434"),
            Duration.ofSeconds(5));
    var reset =
        OllamaClient.failure(
            new ProcessingException(new SocketException("Connection reset")),
            URI.create("http://ollama.internal:11434"),
            Duration.ofSeconds(5));
    OllamaLanguageModel model = model(false, refused, reset, "Hello!");

    assertEquals("Hello!", model.complete("Say hello"));
    assertEquals(
        List.of("connection_refused", "connection_reset"),
        spans().subList(0, 2).stream()
            .map(span -> span.getAttributes().get(GenerationSpan.ERROR_TYPE))
            .toList());
  }

  @Test
  void retryAfterIsWaitedOut() {
    var tooMany = OllamaClient.upstreamError(429, "{\"error\":\"busy\"}", "3");
    OllamaLanguageModel model = model(false, tooMany, "Hello!");

    assertEquals("Hello!", model.complete("Say hello"));
    assertEquals(List.of(Duration.ofSeconds(3)), timing.waits);
    assertEquals("429", spans().get(0).getAttributes().get(GenerationSpan.ERROR_TYPE));
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 404, 500})
  void otherHttpErrorsAreNotRetried(int status) {
    ChatFailure failure = status(status);
    OllamaLanguageModel model = model(false, failure, "Hello!");

    var error = assertThrows(LanguageModelException.class, () -> model.complete("Say hello"));

    assertEquals(failure, error);
    assertEquals(1, calls.size());
    assertEquals(List.of(), timing.waits);
    assertEquals("" + status, spans().get(0).getAttributes().get(GenerationSpan.ERROR_TYPE));
  }

  @Test
  void unexpectedExceptionIsNotRetriedButFailsItsSpan() {
    var bug = new IllegalStateException("bug");
    OllamaLanguageModel model = model(false, bug, "Hello!");

    assertEquals(bug, assertThrows(IllegalStateException.class, () -> model.complete("Hi")));
    assertEquals(1, calls.size());
    assertEquals(StatusCode.ERROR, spans().get(0).getStatus().getStatusCode());
    assertEquals(
        "java.lang.IllegalStateException",
        spans().get(0).getAttributes().get(GenerationSpan.ERROR_TYPE));
  }

  @Test
  void transientFailureGivesUpAfterTheConfiguredRequestAttempts() {
    OllamaLanguageModel model =
        scripted(
            settings(false, 60, 2, 3),
            Duration.ZERO,
            status(503),
            status(502),
            status(504),
            "Hello!");

    var error = assertThrows(LanguageModelException.class, () -> model.complete("Say hello"));

    assertEquals(Kind.UPSTREAM_ERROR, error.kind());
    assertEquals("Ollama answered 504: status 504 (after 3 attempts)", error.getMessage());
    assertEquals(3, calls.size());
    assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), timing.waits);
  }

  @Test
  void everyRequestTakesOnlyWhatIsLeftOfTheDeadlineAndNoWaitReachesIt() {
    OllamaLanguageModel model =
        scripted(
            settings(false, 5, 2, 10),
            Duration.ofSeconds(2),
            status(503),
            status(503),
            status(503),
            "Hello!");

    var error = assertThrows(LanguageModelException.class, () -> model.complete("Say hello"));

    assertEquals(
        List.of(Duration.ofSeconds(5), Duration.ofMillis(2750), Duration.ofMillis(250)),
        calls.stream().map(Call::timeout).toList());
    assertEquals(List.of(Duration.ofMillis(250), Duration.ofMillis(500)), timing.waits);
    assertEquals("Ollama answered 503: status 503 (after 3 attempts)", error.getMessage());
  }

  @Test
  void noAnswerIsAskedForOnceTheDeadlineHasPassed() {
    String offSchema = plan(step("writer", "hammer"));
    OllamaLanguageModel model =
        scripted(settings(false, 5, 3, 5), Duration.ofSeconds(6), offSchema, offSchema);

    var error =
        assertThrows(LanguageModelException.class, () -> model.decompose("Add", ANALYSIS, AGENTS));

    assertEquals(Kind.INVALID_RESPONSE, error.kind());
    assertEquals(1, calls.size());
  }

  @Test
  void interruptWhileWaitingToRetryStopsAtOnceAndKeepsTheFlag() {
    timing.interruptedWhileSleeping = true;
    OllamaLanguageModel model = model(false, status(503), "Hello!");

    try {
      var error = assertThrows(LanguageModelException.class, () -> model.complete("Say hello"));

      assertTrue(Thread.currentThread().isInterrupted());
      assertEquals(Kind.UNAVAILABLE, error.kind());
      assertEquals(
          "Stopped asking Ollama when interrupted, after 1 attempt; the last one failed: Ollama"
              + " answered 503: status 503",
          error.getMessage());
      assertEquals(1, calls.size());
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void cancelledCallStopsWaitingOnTheRealClock() throws Exception {
    CountDownLatch asked = new CountDownLatch(1);
    var values = settings(false, 60, 2, 10);
    OllamaLanguageModel model =
        new OllamaLanguageModel(
            values,
            tracing.get("test"),
            (name, messages, format, timeout) -> {
              asked.countDown();
              throw status(503);
            },
            Timing.SYSTEM);
    var failure = new AtomicReference<Throwable>();
    var stillInterrupted = new AtomicBoolean();
    Thread caller =
        new Thread(
            () -> {
              try {
                model.complete("Say hello");
              } catch (RuntimeException e) {
                failure.set(e);
                stillInterrupted.set(Thread.currentThread().isInterrupted());
              }
            });
    caller.start();
    assertTrue(asked.await(10, TimeUnit.SECONDS));

    caller.interrupt();
    // Without the interrupt, ten attempts would take more than 13 seconds of backoff.
    caller.join(Duration.ofSeconds(5).toMillis());

    assertFalse(caller.isAlive());
    assertEquals(Kind.UNAVAILABLE, ((LanguageModelException) failure.get()).kind());
    assertTrue(stillInterrupted.get());
  }

  @Test
  void plansAgainstTheFakeOllamaFitTheAgents() throws Exception {
    try (FakeOllama ollama = new FakeOllama(0).start()) {
      var values = OllamaSettings.validate(ollama.baseUrl(), "fake-llama", "5", "false", "2", "5");
      OllamaLanguageModel model =
          new OllamaLanguageModel(
              values, tracing.get("test"), overHttp(values.baseUrl()), Timing.SYSTEM);

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
    return (model, messages, format, timeout) -> {
      HttpRequest request =
          HttpRequest.newBuilder(baseUrl.resolve("/api/chat"))
              .timeout(timeout)
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      OllamaClient.request(model, messages, format).toString()))
              .build();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
          throw OllamaClient.upstreamError(
              response.statusCode(),
              response.body(),
              response.headers().firstValue("Retry-After").orElse(null));
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
