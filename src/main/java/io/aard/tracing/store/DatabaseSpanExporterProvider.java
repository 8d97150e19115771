package io.aard.tracing.store;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.traces.ConfigurableSpanExporterProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Registers the {@code database} exporter with the OpenTelemetry SDK that MicroProfile Telemetry
 * configures for the application ({@code otel.traces.exporter=database}, set from {@code
 * TRACING_EXPORTER}). Its own settings arrive as {@code otel.exporter.database.*}.
 */
public final class DatabaseSpanExporterProvider implements ConfigurableSpanExporterProvider {

  /** The name in {@code otel.traces.exporter}. */
  public static final String NAME = "database";

  static final String CAPACITY = "otel.exporter.database.buffer.spans";
  static final String BATCH_SIZE = "otel.exporter.database.batch.size";

  @Override
  public SpanExporter createExporter(ConfigProperties config) {
    int capacity = config.getInt(CAPACITY, DatabaseSpanExporter.DEFAULT_CAPACITY);
    int batchSize = config.getInt(BATCH_SIZE, DatabaseSpanExporter.DEFAULT_BATCH_SIZE);
    return DatabaseSpanExporter.instance(Math.max(1, capacity), Math.max(1, batchSize));
  }

  @Override
  public String getName() {
    return NAME;
  }
}
