package io.aard.ingest;

import io.aard.tracing.TracingSettings;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.function.Function;

/**
 * Registers the {@code database} exporter with the OpenTelemetry SDK that MicroProfile Telemetry
 * configures for the application ({@code otel.traces.exporter=database}, set from {@code
 * TRACING_EXPORTER}). Its own settings arrive as {@code otel.exporter.database.*}.
 */
public final class DatabaseSpanExporterProvider implements ConfigurableSpanExporterProvider {

  /** The name in {@code otel.traces.exporter}. */
  public static final String NAME = "database";

  static final String CAPACITY = TracingSettings.DATABASE_BUFFER_SPANS;
  static final String BATCH_SIZE = "otel.exporter.database.batch.size";

  @Override
  public SpanExporter createExporter(ConfigProperties config) {
    return instance(config::getString);
  }

  /**
   * The one exporter, sized by the {@code otel.exporter.database.*} properties that {@code lookup}
   * returns: the SDK's configuration here, MicroProfile Config for the writer, the same values.
   */
  static DatabaseSpanExporter instance(Function<String, String> lookup) {
    return DatabaseSpanExporter.instance(
        positive(lookup, CAPACITY, TracingSettings.DEFAULT_BUFFER_SPANS),
        positive(lookup, BATCH_SIZE, DatabaseSpanExporter.DEFAULT_BATCH_SIZE));
  }

  static int positive(Function<String, String> lookup, String key, int fallback) {
    String raw = lookup.apply(key);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      return Math.max(1, Integer.parseInt(raw.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          key + "='" + raw + "' is not accepted: use a whole number");
    }
  }

  @Override
  public String getName() {
    return NAME;
  }
}
