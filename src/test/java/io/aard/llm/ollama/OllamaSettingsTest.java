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
            () -> OllamaSettings.validate(baseUrl, model, timeout, capture))
        .getMessage();
  }

  @Test
  void defaultsAreValid() {
    var values =
        OllamaSettings.validate(
            OllamaSettings.DEFAULT_BASE_URL,
            OllamaSettings.DEFAULT_MODEL,
            "" + OllamaSettings.DEFAULT_TIMEOUT_SECONDS,
            "false");

    assertEquals(URI.create("http://localhost:11434"), values.baseUrl());
    assertEquals("llama3.2", values.model());
    assertEquals(Duration.ofSeconds(120), values.timeout());
    assertFalse(values.captureContent());
    assertEquals("localhost", values.serverAddress());
    assertEquals(11434, values.serverPort());
  }

  @Test
  void trailingSlashIsDroppedAndDefaultPortFollowsTheScheme() {
    var https = OllamaSettings.validate("https://ollama.example/", "m", "1", "true");
    var http = OllamaSettings.validate("http://ollama.example", "m", "1", "TRUE");

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
}
