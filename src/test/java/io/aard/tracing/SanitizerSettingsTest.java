package io.aard.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SanitizerSettingsTest {

  private static TracingSettings read(Map<String, String> values) {
    return TracingSettings.read(values::get);
  }

  @Test
  void defaultsAre4096CharsAndTheCredentialHeaders() {
    TracingSettings settings = read(Map.of());
    assertEquals(4096, settings.maxAttributeLength());
    assertEquals(
        List.of("authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"),
        settings.redactAttributes());
  }

  @Test
  void configuredValuesReachTheSdkProperties() {
    Map<String, String> props =
        TracingSettings.otelProperties(
            Map.of(
                    TracingSettings.MAX_ATTRIBUTE_LENGTH, "512",
                    TracingSettings.REDACT_ATTRIBUTES, " Authorization, x-tenant ,gen_ai.input.*")
                ::get);
    assertEquals("512", props.get(SpanSanitizer.MAX_LENGTH_PROPERTY));
    assertEquals("authorization,x-tenant,gen_ai.input.*", props.get(SpanSanitizer.REDACT_PROPERTY));
    assertTrue(TracingSettings.OTEL_KEYS.containsAll(props.keySet()), props.toString());
  }

  @Test
  void nonPositiveOrNonNumericLengthIsRejectedNamingTheKey() {
    for (String bad : List.of("0", "-1", "4k", "1.5")) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> read(Map.of(TracingSettings.MAX_ATTRIBUTE_LENGTH, bad)));
      assertTrue(e.getMessage().startsWith("TRACING_MAX_ATTRIBUTE_LENGTH='" + bad + "'"), bad);
    }
  }

  @Test
  void malformedRedactNameIsRejectedNamingTheKey() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> read(Map.of(TracingSettings.REDACT_ATTRIBUTES, "authorization,x y")));
    assertTrue(e.getMessage().startsWith("TRACING_REDACT_ATTRIBUTES="), e.getMessage());
    assertTrue(e.getMessage().contains("'x y'"), e.getMessage());
  }
}
