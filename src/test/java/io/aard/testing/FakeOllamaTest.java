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
import java.util.List;
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

  private static final String SYSTEM =
      "Plan the task. Agents:\n"
          + "- mathematician: Calculates exactly. Tools: calculator.\n"
          + "- writer: Writes prose. Tools: llm, text.\n";

  private final HttpClient http = HttpClient.newHttpClient();
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
    JsonObjectBuilder request =
        Json.createObjectBuilder()
            .add("model", model)
            .add(
                "messages",
                Json.createArrayBuilder()
                    .add(Json.createObjectBuilder().add("role", "system").add("content", SYSTEM))
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
  void withoutFormatTheAnswerEchoesTheStartOfTheLastUserMessage() throws Exception {
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
    JsonObject schema = JsonSchemas.decomposition(AGENTS);

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
