package io.aard.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TracingSettingsTest {

  private static final String ENDPOINT = "http://localhost:4318/v1/traces";

  private static TracingSettings read(Map<String, String> keys) {
    return TracingSettings.read(keys::get);
  }

  private static Map<String, String> otel(Map<String, String> keys) {
    return TracingSettings.otelProperties(keys::get);
  }

  private static String rejection(Map<String, String> keys) {
    return assertThrows(IllegalArgumentException.class, () -> read(keys)).getMessage();
  }

  @Test
  void nothingConfiguredMeansTheDefaultsOfTheSpec() {
    TracingSettings settings = read(Map.of());
    assertTrue(settings.enabled());
    assertEquals("aard", settings.serviceName());
    assertEquals(List.of("console"), settings.exporters());
    assertNull(settings.otlpEndpoint());
    assertEquals(6, settings.retentionMonths());
    assertEquals(TracingSettings.DEFAULT_BUFFER_SPANS, settings.bufferSpans());
    assertFalse(settings.toDatabase());
  }

  @Test
  void everyKeyIsRead() {
    TracingSettings settings =
        read(
            Map.of(
                "ENABLE_TRACING", "true",
                "TRACING_SERVICE_NAME", " agents ",
                "TRACING_EXPORTER", "database",
                "TRACING_OTLP_ENDPOINT", ENDPOINT,
                "TRACING_RETENTION_MONTHS", "12",
                "TRACING_EXPORTER_BUFFER_SPANS", "50000"));
    assertEquals("agents", settings.serviceName());
    assertEquals(List.of("database"), settings.exporters());
    assertEquals(ENDPOINT, settings.otlpEndpoint());
    assertEquals(12, settings.retentionMonths());
    assertEquals(50_000, settings.bufferSpans());
    assertTrue(settings.toDatabase());
  }

  @Test
  void blankValuesMeanTheDefault() {
    TracingSettings settings =
        read(
            Map.of(
                "ENABLE_TRACING", " ",
                "TRACING_SERVICE_NAME", "",
                "TRACING_EXPORTER", " ",
                "TRACING_RETENTION_MONTHS", ""));
    assertTrue(settings.enabled());
    assertEquals("aard", settings.serviceName());
    assertEquals(List.of("console"), settings.exporters());
    assertEquals(6, settings.retentionMonths());
  }

  @Test
  void exporterIsACommaListInOrderWithoutDuplicatesAndCase() {
    TracingSettings settings =
        read(
            Map.of(
                "TRACING_EXPORTER",
                " Database , otlp,console,database",
                "TRACING_OTLP_ENDPOINT",
                ENDPOINT));
    assertEquals(List.of("database", "otlp", "console"), settings.exporters());
    assertEquals(
        "database,otlp,console",
        otel(Map.of("TRACING_EXPORTER", "database,otlp,console", "TRACING_OTLP_ENDPOINT", ENDPOINT))
            .get("otel.traces.exporter"));
  }

  @Test
  void unknownExporterNamesTheKeyTheValueAndWhatIsAccepted() {
    String message = rejection(Map.of("TRACING_EXPORTER", "database,jaeger"));
    assertTrue(message.startsWith("TRACING_EXPORTER='database,jaeger'"), message);
    assertTrue(message.contains("'jaeger' is unknown"), message);
    assertTrue(message.contains("console, otlp, database"), message);
  }

  @ParameterizedTest
  @ValueSource(strings = {",", "database,", ",otlp", "database,,console"})
  void emptyNameInTheExporterListIsRejected(String exporters) {
    String message = rejection(Map.of("TRACING_EXPORTER", exporters));
    assertTrue(message.startsWith("TRACING_EXPORTER='" + exporters + "'"), message);
    assertTrue(message.contains("empty name"), message);
  }

  @Test
  void otlpWithoutEndpointNamesTheMissingKey() {
    String message = rejection(Map.of("TRACING_EXPORTER", "database,otlp"));
    assertTrue(message.startsWith("TRACING_OTLP_ENDPOINT is required"), message);
    assertTrue(message.contains("TRACING_EXPORTER holds otlp"), message);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "localhost:4318/v1/traces",
        "ftp://collector:4318/v1/traces",
        "http://",
        "http://collector:43 18/v1/traces",
        "http:///v1/traces"
      })
  void malformedEndpointIsRejectedWithAnExample(String endpoint) {
    String message =
        rejection(Map.of("TRACING_EXPORTER", "otlp", "TRACING_OTLP_ENDPOINT", endpoint));
    assertTrue(message.startsWith("TRACING_OTLP_ENDPOINT='" + endpoint + "'"), message);
    assertTrue(message.contains("http://localhost:4318/v1/traces"), message);
  }

  @Test
  void endpointIsCheckedEvenWhenOtlpIsNotChosen() {
    String message =
        rejection(Map.of("TRACING_EXPORTER", "database", "TRACING_OTLP_ENDPOINT", "collector"));
    assertTrue(message.startsWith("TRACING_OTLP_ENDPOINT='collector'"), message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"TRACING_RETENTION_MONTHS", "TRACING_EXPORTER_BUFFER_SPANS"})
  void nonNumericNumberNamesTheKeyAndWhatIsAccepted(String key) {
    for (String bad : List.of("six", "1.5", "0", "-3", "99999999999")) {
      String message = rejection(Map.of(key, bad));
      assertEquals(key + "='" + bad + "' is not accepted: use a whole number above 0", message);
    }
  }

  @Test
  void enableTracingAcceptsOnlyTrueOrFalse() {
    assertFalse(read(Map.of("ENABLE_TRACING", " FALSE ")).enabled());
    String message = rejection(Map.of("ENABLE_TRACING", "maybe"));
    assertEquals("ENABLE_TRACING='maybe' is not accepted: use true or false", message);
  }

  @Test
  void disabledTracingTurnsTheSdkOffAndWritesNothingToTheDatabase() {
    Map<String, String> keys = Map.of("ENABLE_TRACING", "false", "TRACING_EXPORTER", "database");
    assertEquals("true", otel(keys).get("otel.sdk.disabled"));
    assertFalse(read(keys).toDatabase());
  }

  @Test
  void enabledTracingReachesTheSdkInApplicationMode() {
    Map<String, String> props =
        otel(
            Map.of(
                "TRACING_SERVICE_NAME", "agents",
                "TRACING_EXPORTER", "database,otlp",
                "TRACING_OTLP_ENDPOINT", ENDPOINT,
                "TRACING_EXPORTER_BUFFER_SPANS", "1234"));
    assertEquals("false", props.get("otel.sdk.disabled"));
    assertEquals("agents", props.get("otel.service.name"));
    assertEquals("database,otlp", props.get("otel.traces.exporter"));
    assertEquals(ENDPOINT, props.get("otel.exporter.otlp.traces.endpoint"));
    assertEquals("http/protobuf", props.get("otel.exporter.otlp.traces.protocol"));
    assertEquals("1234", props.get("otel.exporter.database.buffer.spans"));
    assertEquals("200", props.get("otel.bsp.schedule.delay"));
    assertEquals(
        "process.command_line,process.command_args", props.get("otel.resource.disabled.keys"));
    assertEquals("none", props.get("otel.metrics.exporter"));
    assertEquals("none", props.get("otel.logs.exporter"));
    assertTrue(TracingSettings.OTEL_KEYS.containsAll(props.keySet()), props.toString());
  }

  @Test
  void consoleIsTheSdkConsoleExporter() {
    assertEquals("console", otel(Map.of()).get("otel.traces.exporter"));
  }

  @Test
  void withoutOtlpNoOtlpPropertyIsSet() {
    Map<String, String> props = otel(Map.of("TRACING_EXPORTER", "database"));
    assertFalse(props.containsKey("otel.exporter.otlp.traces.endpoint"));
    assertFalse(props.containsKey("otel.exporter.otlp.traces.protocol"));
  }

  @Test
  void misconfigurationTurnsTheSdkOffAndLeavesTheReportToTheStartupCheck() {
    Map<String, String> props = otel(Map.of("TRACING_EXPORTER", "jaeger"));
    assertEquals("true", props.get("otel.sdk.disabled"));
    assertEquals("none", props.get("otel.traces.exporter"));
  }

  @Test
  void databaseStatementsAreTracedUnlessSwitchedOff() {
    assertTrue(read(Map.of()).databaseStatements());
    assertFalse(read(Map.of("TRACING_DB_STATEMENTS", " FALSE ")).databaseStatements());
    String message = rejection(Map.of("TRACING_DB_STATEMENTS", "off"));
    assertTrue(message.startsWith("TRACING_DB_STATEMENTS='off'"), message);
  }
}
