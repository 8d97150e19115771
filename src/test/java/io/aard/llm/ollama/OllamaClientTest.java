package io.aard.llm.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.llm.LanguageModelException;
import io.aard.llm.LanguageModelException.Kind;
import jakarta.json.JsonObject;
import jakarta.ws.rs.ProcessingException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The client's pure parts; the HTTP exchange itself is covered by the integration tests. */
class OllamaClientTest {

  private static final URI BASE = URI.create("http://ollama.internal:11434");
  private static final Duration TIMEOUT = Duration.ofSeconds(7);

  @Test
  void requestAsksForOneDeterministicNonStreamedAnswer() {
    JsonObject format = JsonSchemas.analysis();

    JsonObject request = OllamaClient.request("llama3.2", "sys", "task", format);

    assertEquals("llama3.2", request.getString("model"));
    assertFalse(request.getBoolean("stream"));
    assertEquals(format, request.getJsonObject("format"));
    assertEquals(0, request.getJsonObject("options").getInt("temperature"));
    assertEquals("system", request.getJsonArray("messages").getJsonObject(0).getString("role"));
    assertEquals("task", request.getJsonArray("messages").getJsonObject(1).getString("content"));
    assertFalse(OllamaClient.request("m", "s", "u", null).containsKey("format"));
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
    var error = OllamaClient.upstreamError(404, "{\"error\":\"model 'x' not found\"}");

    assertEquals(Kind.UPSTREAM_ERROR, error.kind());
    assertEquals("Ollama answered 404: model 'x' not found", error.getMessage());
    assertEquals(
        "Ollama answered 502: Bad Gateway",
        OllamaClient.upstreamError(502, "Bad Gateway\n").getMessage());
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
  }

  @Test
  void readTimeoutIsATimeout() {
    var error =
        OllamaClient.failure(
            new ProcessingException(new SocketTimeoutException("Read timed out")), BASE, TIMEOUT);

    assertEquals(Kind.TIMEOUT, error.kind());
    assertEquals("Ollama did not answer within 7 s", error.getMessage());
  }
}
