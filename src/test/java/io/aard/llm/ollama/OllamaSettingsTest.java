package io.aard.llm.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OllamaSettingsTest {

  private static String rejection(String baseUrl, String model, String timeout, String capture) {
    return assertThrows(
            IllegalArgumentException.class,
            () -> OllamaSettings.validate(baseUrl, model, timeout, capture, "2", "5"))
        .getMessage();
  }

  private static String attemptsRejection(String answerAttempts, String requestAttempts) {
    return assertThrows(
            IllegalArgumentException.class,
            () ->
                OllamaSettings.validate(
                    "http://h", "m", "1", "false", answerAttempts, requestAttempts))
        .getMessage();
  }

  private static OllamaSettings.Values valid(
      String baseUrl, String model, String timeout, String capture) {
    return OllamaSettings.validate(baseUrl, model, timeout, capture, "2", "5");
  }

  @Test
  void defaultsAreValid() {
    var values =
        OllamaSettings.validate(
            OllamaSettings.DEFAULT_BASE_URL,
            OllamaSettings.DEFAULT_MODEL,
            "" + OllamaSettings.DEFAULT_TIMEOUT_SECONDS,
            "false",
            "" + OllamaSettings.DEFAULT_ANSWER_ATTEMPTS,
            "" + OllamaSettings.DEFAULT_REQUEST_ATTEMPTS);

    assertEquals(URI.create("http://localhost:11434"), values.baseUrl());
    assertEquals("llama3.2", values.model());
    assertEquals(Duration.ofSeconds(120), values.timeout());
    assertFalse(values.captureContent());
    assertEquals("localhost", values.serverAddress());
    assertEquals(11434, values.serverPort());
    assertEquals(2, values.answerAttempts());
    assertEquals(5, values.requestAttempts());
  }

  @Test
  void trailingSlashIsDroppedAndDefaultPortFollowsTheScheme() {
    var https = valid("https://ollama.example/", "m", "1", "true");
    var http = valid("http://ollama.example", "m", "1", "TRUE");

    assertEquals(URI.create("https://ollama.example"), https.baseUrl());
    assertEquals(443, https.serverPort());
    assertEquals(80, http.serverPort());
    assertTrue(https.captureContent());
  }

  @Test
  void baseUrlThatIsNotAnAbsoluteHttpUrlIsRejectedNamingKeyValueAndExample() {
    assertEquals(
        "OLLAMA_BASE_URL='foo' is not an absolute http(s) URL, e.g. http://localhost:11434",
        rejection("foo", "m", "1", "false"));
    assertTrue(
        rejection("ftp://host", "m", "1", "false").startsWith("OLLAMA_BASE_URL='ftp://host'"));
    assertTrue(rejection("http://", "m", "1", "false").startsWith("OLLAMA_BASE_URL="));
    assertTrue(rejection("http:// spaces", "m", "1", "false").startsWith("OLLAMA_BASE_URL="));
    assertTrue(rejection("http://h?x=1", "m", "1", "false").contains("query"));
  }

  @Test
  void timeoutThatIsNotAPositiveWholeNumberIsRejected() {
    assertEquals(
        "OLLAMA_TIMEOUT_SECONDS='abc' is not a positive whole number of seconds, e.g. 120",
        rejection("http://h", "m", "abc", "false"));
    assertTrue(rejection("http://h", "m", "0", "false").startsWith("OLLAMA_TIMEOUT_SECONDS='0'"));
    assertTrue(rejection("http://h", "m", "-5", "false").startsWith("OLLAMA_TIMEOUT_SECONDS='-5'"));
    assertTrue(rejection("http://h", "m", "1.5", "false").startsWith("OLLAMA_TIMEOUT_SECONDS="));
  }

  @Test
  void blankModelAndNonBooleanCaptureAreRejected() {
    assertTrue(rejection("http://h", " ", "1", "false").startsWith("OLLAMA_MODEL=' '"));
    assertEquals(
        "TRACING_CAPTURE_CONTENT='maybe' is not a boolean; use true or false",
        rejection("http://h", "m", "1", "maybe"));
  }

  @Test
  void attemptsFromOneToTenAreAccepted() {
    var values = OllamaSettings.validate("http://h", "m", "1", "false", " 1 ", "10");

    assertEquals(1, values.answerAttempts());
    assertEquals(10, values.requestAttempts());
  }

  @Test
  void attemptsOutsideOneToTenAreRejectedNamingTheKey() {
    assertEquals(
        "OLLAMA_ANSWER_ATTEMPTS='0' is not a whole number from 1 to 10, e.g. 2",
        attemptsRejection("0", "5"));
    assertEquals(
        "OLLAMA_REQUEST_ATTEMPTS='11' is not a whole number from 1 to 10, e.g. 5",
        attemptsRejection("2", "11"));
    assertTrue(attemptsRejection("two", "5").startsWith("OLLAMA_ANSWER_ATTEMPTS='two'"));
    assertTrue(attemptsRejection("2", "").startsWith("OLLAMA_REQUEST_ATTEMPTS=''"));
  }
}
