package io.aard.llm.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.llm.LanguageModelException;
import io.aard.llm.LanguageModelException.Kind;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.ws.rs.ProcessingException;
import java.io.EOFException;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client's pure parts; the HTTP exchange itself is covered by the integration tests. */
class OllamaClientTest {

  private static final URI BASE = URI.create("http://ollama.internal:11434");
  private static final Duration TIMEOUT = Duration.ofSeconds(7);

  @Test
  void requestAsksForOneDeterministicNonStreamedAnswer() {
    JsonObject format = JsonSchemas.analysis();

    JsonObject request =
        OllamaClient.request(
            "llama3.2", List.of(ChatMessage.system("sys"), ChatMessage.user("task")), format);

    assertEquals("llama3.2", request.getString("model"));
    assertFalse(request.getBoolean("stream"));
    assertEquals(format, request.getJsonObject("format"));
    assertEquals(0, request.getJsonObject("options").getInt("temperature"));
    assertEquals("system", request.getJsonArray("messages").getJsonObject(0).getString("role"));
    assertEquals("task", request.getJsonArray("messages").getJsonObject(1).getString("content"));
    assertFalse(
        OllamaClient.request("m", List.of(ChatMessage.user("u")), null).containsKey("format"));
  }

  @Test
  void requestCarriesTheWholeConversationInOrder() {
    List<ChatMessage> conversation =
        List.of(
            ChatMessage.system("sys"),
            ChatMessage.user("task"),
            ChatMessage.assistant("{\"steps\": []}"),
            ChatMessage.user("Your answer was rejected: ..."));

    JsonArray messages = OllamaClient.request("m", conversation, null).getJsonArray("messages");

    assertEquals(
        Json.createReader(
                new StringReader(
                    "[{\"role\":\"system\",\"content\":\"sys\"},"
                        + "{\"role\":\"user\",\"content\":\"task\"},"
                        + "{\"role\":\"assistant\",\"content\":\"{\\\"steps\\\": []}\"},"
                        + "{\"role\":\"user\",\"content\":\"Your answer was rejected: ...\"}]"))
            .readArray(),
        messages);
  }

  @Test
  void responseIsReadWithItsTokenCounts() {
    ChatResponse response =
        OllamaClient.parse(
            "{\"model\":\"llama3.2:latest\","
                + "\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"done\":true,"
                + "\"prompt_eval_count\":26,\"eval_count\":3}",
            "llama3.2");

    assertEquals(new ChatResponse("llama3.2:latest", "hi", 26, 3), response);
  }

  @Test
  void missingCountsAndModelFallBackToZeroAndTheRequestedModel() {
    ChatResponse response =
        OllamaClient.parse("{\"message\":{\"content\":\"hi\"},\"done\":true}", "llama3.2");

    assertEquals(new ChatResponse("llama3.2", "hi", 0, 0), response);
  }

  @Test
  void bodyThatIsNotAChatResponseIsAnInvalidResponse() {
    for (String body : new String[] {"<html>", "", "[]", "{\"done\":true}"}) {
      var error =
          assertThrows(LanguageModelException.class, () -> OllamaClient.parse(body, "m"), body);
      assertEquals(Kind.INVALID_RESPONSE, error.kind(), body);
    }
  }

  @Test
  void streamedChunkIsAnInvalidResponse() {
    var error =
        assertThrows(
            LanguageModelException.class,
            () -> OllamaClient.parse("{\"message\":{\"content\":\"h\"},\"done\":false}", "m"));

    assertEquals(Kind.INVALID_RESPONSE, error.kind());
    assertTrue(error.getMessage().contains("done=false"));
  }

  @Test
  void httpErrorIsAnUpstreamErrorInOllamasWords() {
    var error = OllamaClient.upstreamError(404, "{\"error\":\"model 'x' not found\"}", null);

    assertEquals(Kind.UPSTREAM_ERROR, error.kind());
    assertEquals("Ollama answered 404: model 'x' not found", error.getMessage());
    assertEquals("404", error.errorType());
    assertEquals(
        "Ollama answered 502: Bad Gateway",
        OllamaClient.upstreamError(502, "Bad Gateway\n", null).getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 502, 503, 504})
  void busyAndUnavailableStatusesAreTransient(int status) {
    var error = OllamaClient.upstreamError(status, "", null);

    assertTrue(error.isTransient());
    assertEquals(Kind.UPSTREAM_ERROR, error.kind());
    assertEquals(Integer.toString(status), error.errorType());
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 404, 500, 501})
  void otherStatusesAreNotTransient(int status) {
    assertFalse(OllamaClient.upstreamError(status, "", null).isTransient());
  }

  @Test
  void retryAfterInSecondsIsKeptAndAnHttpDateIsIgnored() {
    assertEquals(Duration.ofSeconds(2), OllamaClient.upstreamError(503, "", " 2 ").retryAfter());
    assertNull(OllamaClient.upstreamError(503, "", "Wed, 21 Oct 2015 07:28:00 GMT").retryAfter());
    assertNull(OllamaClient.upstreamError(503, "", null).retryAfter());
  }

  @Test
  void refusedConnectionIsUnavailable() {
    var error =
        OllamaClient.failure(
            new ProcessingException(new ConnectException("Connection refused")), BASE, TIMEOUT);

    assertEquals(Kind.UNAVAILABLE, error.kind());
    assertEquals(
        "Ollama at http://ollama.internal:11434 is unreachable: connection refused",
        error.getMessage());
    assertEquals("connection_refused", error.errorType());
    assertTrue(error.isTransient());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Connection reset", "Unexpected end of file from server", "Broken pipe"})
  void droppedConnectionIsTransientlyUnavailable(String message) {
    var error =
        OllamaClient.failure(
            new ProcessingException(new RuntimeException(new SocketException(message))),
            BASE,
            TIMEOUT);

    assertEquals(Kind.UNAVAILABLE, error.kind());
    assertEquals("connection_reset", error.errorType());
    assertTrue(error.isTransient());
    assertEquals(
        "Ollama at http://ollama.internal:11434 dropped the connection: " + message,
        error.getMessage());
  }

  @Test
  void endOfStreamIsADroppedConnection() {
    var error = OllamaClient.failure(new ProcessingException(new EOFException()), BASE, TIMEOUT);

    assertEquals("connection_reset", error.errorType());
  }

  @Test
  void unknownFailureIsUnavailableNamedByItsRootCause() {
    var error =
        OllamaClient.failure(
            new ProcessingException(new IllegalStateException("pool closed")), BASE, TIMEOUT);

    assertEquals(Kind.UNAVAILABLE, error.kind());
    assertEquals("java.lang.IllegalStateException", error.errorType());
    assertFalse(error.isTransient());
  }

  @Test
  void unknownHostIsUnavailable() {
    var error =
        OllamaClient.failure(
            new ProcessingException(new RuntimeException(new UnknownHostException("nowhere"))),
            URI.create("https://nowhere"),
            TIMEOUT);

    assertEquals(Kind.UNAVAILABLE, error.kind());
    assertEquals("Ollama at https://nowhere:443 is unreachable: unknown host", error.getMessage());
    assertEquals("unknown_host", error.errorType());
    assertFalse(error.isTransient());
  }

  @Test
  void readTimeoutIsATimeout() {
    var error =
        OllamaClient.failure(
            new ProcessingException(new SocketTimeoutException("Read timed out")), BASE, TIMEOUT);

    assertEquals(Kind.TIMEOUT, error.kind());
    assertEquals("Ollama did not answer within 7 s", error.getMessage());
    assertEquals("timeout", error.errorType());
    assertFalse(error.isTransient());
  }

  @Test
  void timeoutLeftOfTheDeadlineIsReportedToTheMillisecond() {
    var error =
        OllamaClient.failure(
            new ProcessingException(new SocketTimeoutException("Read timed out")),
            BASE,
            Duration.ofMillis(2750));

    assertEquals("Ollama did not answer within 2.75 s", error.getMessage());
  }
}
