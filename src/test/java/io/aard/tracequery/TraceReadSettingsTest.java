package io.aard.tracequery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceReadSettingsTest {

  @Test
  void aTraceReadReturnsTenThousandSpansUnlessConfigured() {
    assertEquals(10_000, TraceReadSettings.maxSpans(key -> null));
    assertEquals(10_000, TraceReadSettings.maxSpans(Map.of("TRACE_READ_MAX_SPANS", " ")::get));
    assertEquals(
        100_000, TraceReadSettings.maxSpans(Map.of("TRACE_READ_MAX_SPANS", " 100000 ")::get));
    assertEquals(1, TraceReadSettings.maxSpans(Map.of("TRACE_READ_MAX_SPANS", "1")::get));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-5", "many", "1.5", "99999999999"})
  void anythingButAPositiveWholeNumberIsRefusedByKey(String value) {
    String message =
        assertThrows(
                IllegalArgumentException.class,
                () -> TraceReadSettings.maxSpans(Map.of("TRACE_READ_MAX_SPANS", value)::get))
            .getMessage();
    assertTrue(message.startsWith("TRACE_READ_MAX_SPANS='" + value + "'"), message);
    assertTrue(message.contains("above 0"), message);
  }
}
