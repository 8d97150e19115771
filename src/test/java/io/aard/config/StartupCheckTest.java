package io.aard.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StartupCheckTest {

  private static String rejection(Map<String, String> keys) {
    return assertThrows(IllegalArgumentException.class, () -> StartupCheck.validate(keys::get))
        .getMessage();
  }

  @Test
  void nothingConfiguredStarts() {
    assertDoesNotThrow(() -> StartupCheck.validate(key -> null));
  }

  @ParameterizedTest
  @ValueSource(strings = {"builtin", "ollama", " Ollama "})
  void knownProviderStarts(String provider) {
    assertDoesNotThrow(() -> StartupCheck.validate(Map.of("LLM_PROVIDER", provider)::get));
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "ollama,builtin"})
  void unknownProviderNamesTheKeyTheValueAndWhatIsAccepted(String provider) {
    String message = rejection(Map.of("LLM_PROVIDER", provider));
    assertTrue(message.startsWith("LLM_PROVIDER='" + provider + "'"), message);
    assertTrue(message.contains("builtin") && message.contains("ollama"), message);
  }

  @Test
  void badTracingSettingStopsStartUp() {
    String message = rejection(Map.of("TRACING_EXPORTER", "zipkin"));
    assertTrue(message.startsWith("TRACING_EXPORTER='zipkin'"), message);
  }

  @Test
  void badDatabaseSpansSwitchStopsStartUp() {
    String message = rejection(Map.of("TRACING_DB_STATEMENTS", "sometimes"));
    assertTrue(message.startsWith("TRACING_DB_STATEMENTS='sometimes'"), message);
  }

  @Test
  void badTraceReadBoundStopsStartUp() {
    String message = rejection(Map.of("TRACE_READ_MAX_SPANS", "0"));
    assertTrue(message.startsWith("TRACE_READ_MAX_SPANS='0'"), message);
  }

  @Test
  void badOllamaSettingStopsStartUp() {
    String message = rejection(Map.of("OLLAMA_TIMEOUT_SECONDS", "soon"));
    assertTrue(message.contains("OLLAMA_TIMEOUT_SECONDS"), message);
    assertTrue(message.contains("soon"), message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"OLLAMA_ANSWER_ATTEMPTS", "OLLAMA_REQUEST_ATTEMPTS"})
  void attemptsOutsideOneToTenStopStartUp(String key) {
    String message = rejection(Map.of(key, "0"));
    assertTrue(message.startsWith(key + "='0'"), message);
    assertDoesNotThrow(() -> StartupCheck.validate(Map.of(key, "3")::get));
  }

  @Test
  void badHttpToolSettingStopsStartUp() {
    String hosts = rejection(Map.of("HTTP_TOOL_ALLOWED_HOSTS", "https://example.com/path"));
    assertTrue(hosts.startsWith("HTTP_TOOL_ALLOWED_HOSTS"), hosts);
    String open =
        rejection(
            Map.of(
                "HTTP_TOOL_ALLOWED_HOSTS", "example.com", "HTTP_TOOL_ALLOW_PRIVATE", "sometimes"));
    assertTrue(open.startsWith("HTTP_TOOL_ALLOW_PRIVATE='sometimes'"), open);
  }

  @Test
  void providerIsCheckedBeforeTheOtherSettings() {
    String message = rejection(Map.of("LLM_PROVIDER", "openai", "TRACING_EXPORTER", "zipkin"));
    assertEquals("LLM_PROVIDER", message.substring(0, "LLM_PROVIDER".length()));
  }

  @Test
  void openServerListensOnLoopbackOnly() {
    assertDoesNotThrow(() -> StartupCheck.validate(Map.of("HTTP_HOST", "localhost")::get));
    assertDoesNotThrow(() -> StartupCheck.validate(Map.of("HTTP_HOST", "127.0.0.1")::get));
    String message = rejection(Map.of("HTTP_HOST", "*"));
    assertTrue(message.startsWith("HTTP_HOST='*'"), message);
    assertTrue(message.contains("AARD_API_KEYS") && message.contains("AARD_ALLOW_OPEN"), message);
  }

  @Test
  void networkListenerNeedsKeysOrAnExplicitAllowOpen() {
    assertDoesNotThrow(
        () ->
            StartupCheck.validate(
                Map.of(
                        "HTTP_HOST",
                        "*",
                        "AARD_API_KEYS",
                        "reader:0123456789abcdef0123,operator:abcdef0123456789abcd")
                    ::get));
    assertDoesNotThrow(
        () -> StartupCheck.validate(Map.of("HTTP_HOST", "*", "AARD_ALLOW_OPEN", "true")::get));
    String message = rejection(Map.of("HTTP_HOST", "0.0.0.0", "AARD_ALLOW_OPEN", "yes"));
    assertTrue(message.startsWith("AARD_ALLOW_OPEN='yes'"), message);
  }
}
