package io.aard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.llm.AgentProfile;
import io.aard.llm.ollama.JsonSchemas;
import io.aard.llm.ollama.SchemaValidator;
import io.aard.testing.FakeOllama.Behaviour;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeOllamaTest {

  private static final List<AgentProfile> AGENTS =
      List.of(
          new AgentProfile("mathematician", "Calculates exactly.", List.of("calculator")),
          new AgentProfile("writer", "Writes prose.", List.of("llm", "text")));

  private static final Map<String, List<String>> MATH_AGENTS =
      orderedMap("mathematician", List.of("calculator"), "writer", List.of("llm", "text"));

  private static final String SYSTEM =
      "Plan the task. Agents:\n"
          + "- mathematician: Calculates exactly. Tools: calculator.\n"
          + "- writer: Writes prose. Tools: llm, text.\n";

  /** The agents of the reported bug: a plan schema with separate enums pairs them wrongly. */
  private static final String RESEARCH_SYSTEM =
      "Plan the task. Agents:\n"
          + "- researcher: Finds facts on the web. Tools: http_get, llm.\n"
          + "- analyst: Calculates exactly. Tools: calculator.\n"
          + "- writer: Writes prose. Tools: llm.\n";

  private static final Map<String, List<String>> RESEARCH_AGENTS =
      orderedMap(
          "researcher", List.of("http_get", "llm"),
          "analyst", List.of("calculator"),
          "writer", List.of("llm"));

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private FakeOllama ollama;

  @BeforeEach
  void start() throws IOException {
    ollama = new FakeOllama(0).start();
  }

  @AfterEach
  void stop() {
    ollama.stop();
  }

  private static JsonObjectBuilder chatRequest(String model, String user, JsonValue format) {
    return chatRequest(model, SYSTEM, user, format);
  }

  private static JsonObjectBuilder chatRequest(
      String model, String system, String user, JsonValue format) {
    JsonObjectBuilder request =
        Json.createObjectBuilder()
            .add("model", model)
            .add(
                "messages",
                Json.createArrayBuilder()
                    .add(Json.createObjectBuilder().add("role", "system").add("content", system))
                    .add(Json.createObjectBuilder().add("role", "user").add("content", user)))
            .add("stream", false)
            .add("options", Json.createObjectBuilder().add("temperature", 0));
    if (format != null) {
      request.add("format", format);
    }
    return request;
  }

  private HttpResponse<String> post(String path, String body) throws Exception {
    return post(path, body, Duration.ofSeconds(10));
  }

  private HttpResponse<String> post(String path, String body, Duration timeout) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(ollama.baseUrl() + path))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(ollama.baseUrl() + path)).GET().build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject json(String text) {
    return Json.createReader(new StringReader(text)).readObject();
  }

  private JsonObject chat(JsonObject request) throws Exception {
    HttpResponse<String> response = post("/api/chat", request.toString());
    assertEquals(200, response.statusCode(), response.body());
    return json(response.body());
  }

  @Test
  void schemaFormatIsAnsweredWithAnInstanceOfThatSchema() throws Exception {
    JsonObject schema = JsonSchemas.decomposition(AGENTS);

    JsonObject response = chat(chatRequest("llama3.2", "Say hello to the team", schema).build());

    JsonObject plan = json(response.getJsonObject("message").getString("content"));
    assertEquals(List.of(), SchemaValidator.validate(schema, plan));
    assertEquals("assistant", response.getJsonObject("message").getString("role"));
    assertEquals("llama3.2", response.getString("model"));
    assertTrue(response.getBoolean("done"));
    assertEquals("stop", response.getString("done_reason"));
  }

  @Test
  void planStepPairsLlmWithTheAgentThePromptGivesIt() throws Exception {
    JsonObject response =
        chat(chatRequest("llama3.2", "Greet", JsonSchemas.decomposition(AGENTS)).build());

    JsonObject step =
        json(response.getJsonObject("message").getString("content"))
            .getJsonArray("steps")
            .getJsonObject(0);
    assertEquals("writer", step.getString("agent"));
    assertEquals("llm", step.getString("tool"));
    assertEquals("Say hello", step.getString("input"));
  }

  @Test
  void analysisSchemaIsAnsweredWithAValidAnalysis() throws Exception {
    JsonObject schema = JsonSchemas.analysis();

    JsonObject response = chat(chatRequest("llama3.2", "Add 2 and 3", schema).build());

    JsonObject analysis = json(response.getJsonObject("message").getString("content"));
    assertEquals(List.of(), SchemaValidator.validate(schema, analysis));
    assertEquals("Fake summary of: Add 2 and 3", analysis.getString("summary"));
  }

  @Test
  void withoutFormatTheAnswerEchoesTheLastUserMessageUpTo200Characters() throws Exception {
    String prompt = "Write one sentence about the result 391. ".repeat(6);

    JsonObject response = chat(chatRequest("llama3.2", prompt, null).build());

    assertEquals(
        "Fake answer to: " + prompt.substring(0, 200),
        response.getJsonObject("message").getString("content"));
  }

  @Test
  void echoLengthCutsTheEchoedUserMessage() throws Exception {
    ollama.echoLength(50);
    String prompt = "Write a poem about the sea, the wind and the long grey evening light";

    JsonObject response = chat(chatRequest("llama3.2", prompt, null).build());

    assertEquals(
        "Fake answer to: " + prompt.substring(0, 50),
        response.getJsonObject("message").getString("content"));
  }

  @Test
  void tokenCountsFollowTheWordsInAndOut() throws Exception {
    JsonObject response = chat(chatRequest("llama3.2", "one two three", null).build());

    long systemWords = SYSTEM.strip().split("\\s+").length;
    assertEquals(systemWords + 3, response.getJsonNumber("prompt_eval_count").longValue());
    // "Fake answer to: one two three"
    assertEquals(6, response.getJsonNumber("eval_count").longValue());
    assertTrue(response.getJsonNumber("total_duration").longValue() > 0);
  }

  @Test
  void receivedRequestsAreRecordedWithFormatAndStream() throws Exception {
    JsonObject schema = JsonSchemas.analysis();

    chat(chatRequest("llama3.2", "Count words", schema).build());

    List<JsonObject> requests = ollama.requests();
    assertEquals(1, requests.size());
    assertEquals(schema, requests.get(0).getJsonObject("format"));
    assertFalse(requests.get(0).getBoolean("stream"));
  }

  @Test
  void unknownModelGets404WithOllamasErrorBody() throws Exception {
    HttpResponse<String> response =
        post("/api/chat", chatRequest("missing-model", "Hi", null).build().toString());

    assertEquals(404, response.statusCode());
    assertEquals(
        "model \"missing-model\" not found, try pulling it first",
        json(response.body()).getString("error"));
  }

  @Test
  void allowListServesOnlyTheNamedModelsWithOrWithoutTag() throws Exception {
    ollama.acceptOnly(List.of("fake-llama"));

    assertEquals(
        200,
        post("/api/chat", chatRequest("fake-llama:latest", "Hi", null).build().toString())
            .statusCode());
    assertEquals(
        404,
        post("/api/chat", chatRequest("llama3.2", "Hi", null).build().toString()).statusCode());
    JsonObject tags = json(get("/api/tags").body());
    assertEquals(
        "fake-llama:latest", tags.getJsonArray("models").getJsonObject(0).getString("name"));
  }

  @Test
  void notJsonBehaviourAnswersWithProseDespiteTheSchema() throws Exception {
    ollama.respondWith(Behaviour.NOT_JSON);

    JsonObject response = chat(chatRequest("llama3.2", "Plan", JsonSchemas.analysis()).build());

    String content = response.getJsonObject("message").getString("content");
    assertEquals(FakeOllama.NOT_JSON_CONTENT, content);
    assertThrows(Exception.class, () -> json(content));
  }

  @Test
  void offSchemaBehaviourAnswersJsonWithAnUnknownTool() throws Exception {
    ollama.respondWith(Behaviour.OFF_SCHEMA);
    JsonObject schema = separateEnumsPlanSchema(MATH_AGENTS);

    JsonObject response = chat(chatRequest("llama3.2", "Plan", schema).build());

    JsonObject plan = json(response.getJsonObject("message").getString("content"));
    assertEquals(
        List.of("$.steps[0].tool: 'hammer' is not one of [calculator, llm, text]"),
        SchemaValidator.validate(schema, plan));
  }

  @Test
  void offSchemaBehaviourBreaksASchemaWithoutToolsToo() throws Exception {
    ollama.respondWith(Behaviour.OFF_SCHEMA);
    JsonObject schema = JsonSchemas.analysis();

    JsonObject response = chat(chatRequest("llama3.2", "Plan", schema).build());

    JsonObject analysis = json(response.getJsonObject("message").getString("content"));
    assertFalse(SchemaValidator.validate(schema, analysis).isEmpty());
  }

  @Test
  void http500BehaviourAnswersWithOllamasErrorBody() throws Exception {
    ollama.respondWith(Behaviour.HTTP_500);

    HttpResponse<String> response =
        post("/api/chat", chatRequest("llama3.2", "Hi", null).build().toString());

    assertEquals(500, response.statusCode());
    assertTrue(json(response.body()).getString("error").contains("terminated"));
  }

  @Test
  void slowBehaviourOutlastsAShortClientTimeout() {
    ollama.respondWith(Behaviour.SLOW).slowDelay(Duration.ofSeconds(30));

    assertThrows(
        HttpTimeoutException.class,
        () ->
            post(
                "/api/chat",
                chatRequest("llama3.2", "Hi", null).build().toString(),
                Duration.ofMillis(300)));
  }

  @Test
  void slowBehaviourAnswersNormallyOnceTheDelayHasPassed() throws Exception {
    ollama.respondWith(Behaviour.SLOW).slowDelay(Duration.ofMillis(200));

    JsonObject response = chat(chatRequest("llama3.2", "Hi", null).build());

    assertEquals("Fake answer to: Hi", response.getJsonObject("message").getString("content"));
  }

  @Test
  void stopDoesNotWaitForHeldBackAnswers() throws Exception {
    ollama.respondWith(Behaviour.SLOW).slowDelay(Duration.ofMinutes(10));
    CompletableFuture<HttpResponse<String>> pending =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(ollama.baseUrl() + "/api/chat"))
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        chatRequest("llama3.2", "Hi", null).build().toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    awaitRequests(1);

    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> ollama.stop());
    assertTimeoutPreemptively(
        Duration.ofSeconds(5), () -> assertThrows(Exception.class, () -> pending.get()));
  }

  @Test
  void streamIsTheDefaultAndAnswersWithNdjsonChunks() throws Exception {
    JsonObjectBuilder request = chatRequest("llama3.2", "Hi", null);
    request.remove("stream");

    HttpResponse<String> response = post("/api/chat", request.build().toString());

    assertEquals(200, response.statusCode());
    assertEquals(
        "application/x-ndjson", response.headers().firstValue("Content-Type").orElseThrow());
    String[] lines = response.body().strip().split("\n");
    assertEquals(2, lines.length);
    assertFalse(json(lines[0]).getBoolean("done"));
    assertEquals(
        "Fake answer to: Hi", json(lines[0]).getJsonObject("message").getString("content"));
    assertTrue(json(lines[1]).getBoolean("done"));
  }

  @Test
  void malformedRequestsGet400WithAnError() throws Exception {
    HttpResponse<String> notJson = post("/api/chat", "{not json");
    HttpResponse<String> empty = post("/api/chat", "");
    HttpResponse<String> noModel =
        post(
            "/api/chat",
            Json.createObjectBuilder()
                .add("messages", JsonValue.EMPTY_JSON_ARRAY)
                .build()
                .toString());
    HttpResponse<String> badFormat =
        post(
            "/api/chat",
            chatRequest("llama3.2", "Hi", Json.createValue("yaml")).build().toString());

    assertEquals(400, notJson.statusCode());
    assertTrue(json(notJson.body()).containsKey("error"));
    assertEquals("missing request body", json(empty.body()).getString("error"));
    assertEquals(400, noModel.statusCode());
    assertEquals("model is required", json(noModel.body()).getString("error"));
    assertEquals(400, badFormat.statusCode());
  }

  @Test
  void wrongMethodOrPathGetsOllamasPlain404() throws Exception {
    HttpResponse<String> getChat = get("/api/chat");
    HttpResponse<String> unknown = post("/api/generate-nothing", "{}");

    assertEquals(404, getChat.statusCode());
    assertEquals("404 page not found", getChat.body());
    assertEquals(404, unknown.statusCode());
  }

  @Test
  void versionAndTagsAnswerLikeOllama() throws Exception {
    JsonObject version = json(get("/api/version").body());
    JsonObject tags = json(get("/api/tags").body());

    assertEquals(FakeOllama.VERSION, version.getString("version"));
    JsonObject model = tags.getJsonArray("models").getJsonObject(0);
    assertEquals("llama3.2:latest", model.getString("name"));
    assertEquals("gguf", model.getJsonObject("details").getString("format"));
    assertEquals("Ollama is running", get("/").body());
  }

  @Test
  void emptyMessagesLoadTheModelAndAnswerEmpty() throws Exception {
    JsonObject response =
        chat(
            Json.createObjectBuilder()
                .add("model", "llama3.2")
                .add("messages", JsonValue.EMPTY_JSON_ARRAY)
                .add("stream", false)
                .build());

    assertEquals("load", response.getString("done_reason"));
    assertEquals("", response.getJsonObject("message").getString("content"));
  }

  @Test
  void resetRestoresNormalAnswersAndForgetsRequests() throws Exception {
    ollama.respondWith(Behaviour.HTTP_500);
    post("/api/chat", chatRequest("llama3.2", "Hi", null).build().toString());

    ollama.reset();

    assertEquals(List.of(), ollama.requests());
    chat(chatRequest("llama3.2", "Hi", null).build());
  }

  @Test
  void anyOfPlanSchemaIsAnsweredWithAPairFromOneBranch() throws Exception {
    JsonObject schema = anyOfPlanSchema(RESEARCH_AGENTS);

    JsonObject step =
        firstStep(chat(chatRequest("llama3.2", RESEARCH_SYSTEM, "Find it", schema).build()));

    assertEquals("researcher", step.getString("agent"));
    assertEquals("llm", step.getString("tool"));
    assertEquals("Say hello", step.getString("input"));
    assertStepFitsABranch(schema, step);
  }

  @Test
  void anyOfBranchesWithoutLlmAnswerTheFirstBranchWithItsConstAndFirstTool() throws Exception {
    JsonObject schema =
        anyOfPlanSchema(
            orderedMap("analyst", List.of("calculator"), "fetcher", List.of("http_get")));

    JsonObject step = firstStep(chat(chatRequest("llama3.2", "Add", schema).build()));

    assertEquals("analyst", step.getString("agent"));
    assertEquals("calculator", step.getString("tool"));
    assertEquals("1 + 2", step.getString("input"));
    assertStepFitsABranch(schema, step);
  }

  @Test
  void oneOfConstNestedArraysAndMinLengthAreFollowed() throws Exception {
    JsonObject schema =
        json(
            """
            {"type": "object", "description": "ignored", "required": ["kind", "tags", "note"],
             "properties": {
               "kind": {"oneOf": [{"type": "integer", "minimum": 3}, {"type": "string"}]},
               "tags": {"type": "array", "minItems": 2,
                        "items": {"type": "object", "properties": {
                          "name": {"const": "fixed", "description": "ignored"},
                          "level": {"enum": [7, 8]}}}},
               "note": {"type": "string", "minLength": 30}}}
            """);

    JsonObject answer = content(chat(chatRequest("llama3.2", "Tag", schema).build()));

    assertEquals(3, answer.getInt("kind"));
    assertEquals(2, answer.getJsonArray("tags").size());
    assertEquals(
        json("{\"name\": \"fixed\", \"level\": 7}"), answer.getJsonArray("tags").getJsonObject(1));
    assertTrue(answer.getString("note").length() >= 30, answer.toString());
  }

  @Test
  void independentPairsWithSeparateEnumsPairTheFirstAgentWithAToolItDoesNotOwn() throws Exception {
    ollama.respondWith(Behaviour.INDEPENDENT_PAIRS);
    JsonObject schema = separateEnumsPlanSchema(RESEARCH_AGENTS);

    JsonObject response = chat(chatRequest("llama3.2", RESEARCH_SYSTEM, "Find it", schema).build());

    JsonObject step = firstStep(response);
    assertEquals(List.of(), SchemaValidator.validate(schema, content(response)));
    assertEquals("researcher", step.getString("agent"));
    assertEquals("calculator", step.getString("tool"));
    assertFalse(RESEARCH_AGENTS.get("researcher").contains(step.getString("tool")));
  }

  @Test
  void normalWithSeparateEnumsStillPairsConsistently() throws Exception {
    JsonObject schema = separateEnumsPlanSchema(RESEARCH_AGENTS);

    JsonObject step =
        firstStep(chat(chatRequest("llama3.2", RESEARCH_SYSTEM, "Find it", schema).build()));

    assertEquals("researcher", step.getString("agent"));
    assertEquals("llm", step.getString("tool"));
  }

  @Test
  void independentPairsCannotBreakAnAnyOfSchema() throws Exception {
    ollama.respondWith(Behaviour.INDEPENDENT_PAIRS);
    JsonObject schema = anyOfPlanSchema(RESEARCH_AGENTS);

    JsonObject step =
        firstStep(chat(chatRequest("llama3.2", RESEARCH_SYSTEM, "Find it", schema).build()));

    assertEquals("researcher", step.getString("agent"));
    assertEquals("http_get", step.getString("tool"));
    assertStepFitsABranch(schema, step);
  }

  @Test
  void offSchemaBehaviourPutsAnUnknownToolIntoAnAnyOfStep() throws Exception {
    ollama.respondWith(Behaviour.OFF_SCHEMA);
    JsonObject schema = anyOfPlanSchema(RESEARCH_AGENTS);

    JsonObject step =
        firstStep(chat(chatRequest("llama3.2", RESEARCH_SYSTEM, "Find it", schema).build()));

    assertEquals("researcher", step.getString("agent"));
    assertEquals(FakeOllama.OFF_SCHEMA_VALUE, step.getString("tool"));
  }

  @Test
  void scriptedTurnsAreServedInOrderThenTheStandingBehaviourAnswers() throws Exception {
    ollama.respondWith(Behaviour.NOT_JSON).script(Behaviour.LOADING, Behaviour.OFF_SCHEMA);
    ollama.then(Behaviour.NORMAL);
    JsonObject schema = anyOfPlanSchema(RESEARCH_AGENTS);
    String request = chatRequest("llama3.2", RESEARCH_SYSTEM, "Find", schema).build().toString();

    HttpResponse<String> first = post("/api/chat", request);
    HttpResponse<String> second = post("/api/chat", request);
    HttpResponse<String> third = post("/api/chat", request);
    HttpResponse<String> fourth = post("/api/chat", request);

    assertEquals(503, first.statusCode());
    assertEquals(FakeOllama.OFF_SCHEMA_VALUE, firstStep(json(second.body())).getString("tool"));
    assertEquals("llm", firstStep(json(third.body())).getString("tool"));
    assertEquals(
        FakeOllama.NOT_JSON_CONTENT,
        json(fourth.body()).getJsonObject("message").getString("content"));
    assertEquals(0, ollama.scriptRemaining());
    assertEquals(
        List.of(Behaviour.LOADING, Behaviour.OFF_SCHEMA, Behaviour.NORMAL, Behaviour.NOT_JSON),
        ollama.behavioursServed());
  }

  @Test
  void requestsTheFakeRejectsTakeNoScriptedTurn() throws Exception {
    ollama.then(Behaviour.HTTP_500);

    post("/api/chat", chatRequest("missing-model", "Hi", null).build().toString());
    HttpResponse<String> served =
        post("/api/chat", chatRequest("llama3.2", "Hi", null).build().toString());

    assertEquals(500, served.statusCode());
    assertEquals(Map.of(Behaviour.HTTP_500, 1), ollama.servedCounts());
  }

  @Test
  void thenAnswerServesItsContentOnceThenGeneratesAgain() throws Exception {
    ollama.thenAnswer("{\"steps\": []}");
    JsonObject schema = anyOfPlanSchema(RESEARCH_AGENTS);

    JsonObject first = chat(chatRequest("llama3.2", RESEARCH_SYSTEM, "Find", schema).build());
    JsonObject second = chat(chatRequest("llama3.2", RESEARCH_SYSTEM, "Find", schema).build());

    assertEquals("{\"steps\": []}", first.getJsonObject("message").getString("content"));
    assertEquals("llm", firstStep(second).getString("tool"));
  }

  @Test
  void answerDecomposeWithProposesTheGivenPlanAndLeavesOtherRequestsAlone() throws Exception {
    ollama.answerDecomposeWith(
        FakeOllama.step("Multiply", "analyst", "calculator", "17 * 23"),
        FakeOllama.step(
            "Describe", "writer", "llm", "Write one sentence about the result {{steps.0.output}}"));
    JsonObject schema = anyOfPlanSchema(RESEARCH_AGENTS);

    JsonObject plan =
        content(chat(chatRequest("llama3.2", RESEARCH_SYSTEM, "Compute", schema).build()));
    JsonObject analysis =
        content(chat(chatRequest("llama3.2", "Compute", JsonSchemas.analysis()).build()));

    assertEquals(2, plan.getJsonArray("steps").size());
    JsonObject second = plan.getJsonArray("steps").getJsonObject(1);
    assertEquals(
        "Write one sentence about the result {{steps.0.output}}", second.getString("input"));
    assertStepFitsABranch(schema, plan.getJsonArray("steps").getJsonObject(0));
    assertStepFitsABranch(schema, second);
    assertEquals("Fake summary of: Compute", analysis.getString("summary"));
  }

  @Test
  void offSchemaTurnBreaksEvenACannedPlan() throws Exception {
    ollama.answerDecomposeWith("{\"steps\": []}").then(Behaviour.OFF_SCHEMA);
    JsonObject schema = anyOfPlanSchema(RESEARCH_AGENTS);

    JsonObject step =
        firstStep(chat(chatRequest("llama3.2", RESEARCH_SYSTEM, "Find", schema).build()));

    assertEquals(FakeOllama.OFF_SCHEMA_VALUE, step.getString("tool"));
  }

  @Test
  void reAskIsAnsweredFromTheTaskNotFromTheComplaint() throws Exception {
    JsonObject request =
        Json.createObjectBuilder()
            .add("model", "llama3.2")
            .add("stream", false)
            .add("format", JsonSchemas.analysis())
            .add(
                "messages",
                Json.createArrayBuilder()
                    .add(message("system", "Analyse the task."))
                    .add(message("user", "Add 2 and 3"))
                    .add(message("assistant", "{\"summary\": 1}"))
                    .add(message("user", "$.summary: 1 is not a string. Answer again.")))
            .build();

    JsonObject analysis = content(chat(request));

    assertEquals("Fake summary of: Add 2 and 3", analysis.getString("summary"));
    assertEquals(
        "$.summary: 1 is not a string. Answer again.",
        FakeOllama.lastMessage(ollama.requests().get(0), "user"));
    assertEquals("Analyse the task.", FakeOllama.lastMessage(ollama.requests().get(0), "system"));
  }

  @Test
  void loadingBehaviourAnswers503WithOllamasErrorBodyAndNoRetryAfter() throws Exception {
    ollama.respondWith(Behaviour.LOADING);

    HttpResponse<String> response =
        post("/api/chat", chatRequest("llama3.2", "Hi", null).build().toString());

    assertEquals(503, response.statusCode());
    assertEquals(FakeOllama.LOADING_ERROR, json(response.body()).getString("error"));
    assertTrue(response.headers().firstValue("Retry-After").isEmpty());
    assertEquals(1, ollama.served(Behaviour.LOADING));
  }

  @Test
  void tooManyRequestsBehaviourAnswers429WithAnErrorBody() throws Exception {
    ollama.respondWith(Behaviour.TOO_MANY_REQUESTS);

    HttpResponse<String> response =
        post("/api/chat", chatRequest("llama3.2", "Hi", null).build().toString());

    assertEquals(429, response.statusCode());
    assertEquals(FakeOllama.TOO_MANY_REQUESTS_ERROR, json(response.body()).getString("error"));
  }

  @Test
  void resetBehaviourClosesTheConnectionSoTheClientSeesAnIOException() throws Exception {
    ollama.then(Behaviour.RESET);
    String request = chatRequest("llama3.2", "Hi", null).build().toString();

    IOException failure = assertThrows(IOException.class, () -> post("/api/chat", request));

    assertFalse(failure instanceof HttpTimeoutException, failure.toString());
    assertEquals(1, ollama.served(Behaviour.RESET));
    assertEquals(1, ollama.requests().size(), "the client did not resend the request");
    assertEquals(200, post("/api/chat", request).statusCode(), "the fake serves on");
  }

  @Test
  void realisticModeIsTheSameSequenceForTheSameSeed() throws Exception {
    List<Behaviour> first = realisticRun(42);
    ollama.reset();
    List<Behaviour> second = realisticRun(42);
    ollama.reset();
    List<Behaviour> other = realisticRun(7);

    assertEquals(first, second);
    assertFalse(first.equals(other), first + " vs " + other);
    assertTrue(first.contains(Behaviour.OFF_SCHEMA), first.toString());
    assertTrue(first.contains(Behaviour.LOADING), first.toString());
    assertTrue(first.contains(Behaviour.NORMAL), first.toString());
  }

  @Test
  void realisticModeServesItsDrawsWithTheirStatusCodes() throws Exception {
    ollama.realistic(3, Duration.ofMillis(10));
    String request = chatRequest("llama3.2", "Hi", null).build().toString();

    for (int i = 0; i < 20; i++) {
      HttpResponse<String> response = post("/api/chat", request);
      Behaviour served = ollama.behavioursServed().get(i);
      assertEquals(served == Behaviour.LOADING ? 503 : 200, response.statusCode(), served.name());
    }
    int loading = ollama.served(Behaviour.LOADING);
    assertTrue(loading > 0 && loading < 10, "about 15 % loading: " + ollama.servedCounts());
  }

  @Test
  void respondWithEndsTheRealisticMode() throws Exception {
    ollama.realistic(42).respondWith(Behaviour.HTTP_500);

    HttpResponse<String> response =
        post("/api/chat", chatRequest("llama3.2", "Hi", null).build().toString());

    assertEquals(500, response.statusCode());
  }

  private List<Behaviour> realisticRun(long seed) throws Exception {
    ollama.realistic(seed, Duration.ofMillis(1));
    String request = chatRequest("llama3.2", "Hi", null).build().toString();
    for (int i = 0; i < 25; i++) {
      post("/api/chat", request);
    }
    return ollama.behavioursServed();
  }

  private static JsonObject message(String role, String content) {
    return Json.createObjectBuilder().add("role", role).add("content", content).build();
  }

  private static JsonObject content(JsonObject response) {
    return json(response.getJsonObject("message").getString("content"));
  }

  private static JsonObject firstStep(JsonObject response) {
    return content(response).getJsonArray("steps").getJsonObject(0);
  }

  /** The plan schema AARD sent before: one agent enum, one tool enum (all tools, sorted). */
  private static JsonObject separateEnumsPlanSchema(Map<String, List<String>> agents) {
    Set<String> tools = new TreeSet<>();
    agents.values().forEach(tools::addAll);
    JsonObject step =
        stepSchema(
            Json.createObjectBuilder()
                .add("type", "string")
                .add("enum", Json.createArrayBuilder(agents.keySet())),
            Json.createObjectBuilder()
                .add("type", "string")
                .add("enum", Json.createArrayBuilder(tools)));
    return planSchema(step);
  }

  /** The plan schema AARD sends now: one {@code anyOf} branch per agent with its own tools. */
  private static JsonObject anyOfPlanSchema(Map<String, List<String>> agents) {
    JsonArrayBuilder branches = Json.createArrayBuilder();
    agents.forEach(
        (agent, tools) ->
            branches.add(
                stepSchema(
                    Json.createObjectBuilder()
                        .add("type", "string")
                        .add("const", agent)
                        .add("enum", Json.createArrayBuilder().add(agent)),
                    Json.createObjectBuilder()
                        .add("type", "string")
                        .add("enum", Json.createArrayBuilder(tools)))));
    return planSchema(Json.createObjectBuilder().add("anyOf", branches).build());
  }

  private static JsonObject stepSchema(JsonObjectBuilder agent, JsonObjectBuilder tool) {
    return Json.createObjectBuilder()
        .add("type", "object")
        .add("additionalProperties", false)
        .add("required", Json.createArrayBuilder(List.of("description", "agent", "tool", "input")))
        .add(
            "properties",
            Json.createObjectBuilder()
                .add(
                    "description",
                    Json.createObjectBuilder().add("type", "string").add("minLength", 1))
                .add("agent", agent)
                .add("tool", tool)
                .add(
                    "input",
                    Json.createObjectBuilder()
                        .add("type", "string")
                        .add("description", "the tool's input; may use {{steps.N.output}}")))
        .build();
  }

  private static JsonObject planSchema(JsonObject step) {
    return Json.createObjectBuilder()
        .add("type", "object")
        .add("additionalProperties", false)
        .add("required", Json.createArrayBuilder().add("steps"))
        .add(
            "properties",
            Json.createObjectBuilder()
                .add(
                    "steps",
                    Json.createObjectBuilder()
                        .add("type", "array")
                        .add("minItems", 1)
                        .add("maxItems", 20)
                        .add("items", step)))
        .build();
  }

  /** That a branch of the step schema offers the step's agent and tool, and it has all keys. */
  private static void assertStepFitsABranch(JsonObject schema, JsonObject step) {
    JsonArray branches =
        schema
            .getJsonObject("properties")
            .getJsonObject("steps")
            .getJsonObject("items")
            .getJsonArray("anyOf");
    for (JsonObject branch : branches.getValuesAs(JsonObject.class)) {
      JsonObject properties = branch.getJsonObject("properties");
      boolean agentFits =
          properties.getJsonObject("agent").getString("const").equals(step.getString("agent"));
      boolean toolFits =
          properties.getJsonObject("tool").getJsonArray("enum").contains(step.get("tool"));
      if (agentFits && toolFits) {
        assertEquals(properties.keySet(), step.keySet());
        assertFalse(step.getString("description").isEmpty());
        return;
      }
    }
    throw new AssertionError("no branch of " + schema + " fits " + step);
  }

  private static Map<String, List<String>> orderedMap(Object... pairs) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      @SuppressWarnings("unchecked")
      List<String> tools = (List<String>) pairs[i + 1];
      map.put((String) pairs[i], tools);
    }
    return map;
  }

  private void awaitRequests(int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (ollama.requests().size() < count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the fake received no request within 5 s");
      }
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
  }
}
