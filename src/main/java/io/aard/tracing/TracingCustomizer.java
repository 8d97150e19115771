package io.aard.tracing;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;

/**
 * Hooks AARD into the SDK that MicroProfile Telemetry configures for the application: the {@link
 * WorkContextProcessor} that stamps task, plan, agent and tool ids on every span, and the {@link
 * SanitizingSpanExporter} around every exporter, so that redaction and truncation happen in one
 * place whatever {@code TRACING_EXPORTER} (or {@code otel.traces.exporter}) names.
 */
public final class TracingCustomizer implements AutoConfigurationCustomizerProvider {

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    customizer.addTracerProviderCustomizer(
        (builder, config) -> builder.addSpanProcessor(new WorkContextProcessor()));
    customizer.addSpanExporterCustomizer(
        (exporter, config) -> SanitizingSpanExporter.wrap(exporter, SpanSanitizer.from(config)));
  }
}
