package io.aard.tracing;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import java.util.List;

/**
 * Hooks AARD into the SDK that MicroProfile Telemetry configures for the application: the {@link
 * WorkContextProcessor} that stamps task, plan, agent and tool ids on every span, and the {@link
 * SanitizingSpanExporter} around every exporter, so that redaction and truncation happen in one
 * place whatever {@code TRACING_EXPORTER} (or {@code otel.traces.exporter}) names, and the {@link
 * ReadRequestSampler} that keeps the viewer's own requests out of the traces, and the {@link
 * RefusedRequestFilter} that keeps refused requests out of the export queues. Each exporter gets a
 * batch processor and queue of its own ({@link ExportPipelines}), so that one exporter that is slow
 * or down never delays or drops another's spans.
 *
 * <p>It also applies {@code otel.resource.disabled.keys} once more, last: Liberty adds the host, OS
 * and process attributes in a resource customizer of its own, after the SDK has filtered.
 */
public final class TracingCustomizer implements AutoConfigurationCustomizerProvider {

  static final String DISABLED_RESOURCE_KEYS = "otel.resource.disabled.keys";

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    customizer.addTracerProviderCustomizer(
        (builder, config) -> builder.addSpanProcessor(new WorkContextProcessor()));
    customizer.addSamplerCustomizer(
        (sampler, config) ->
            ReadRequestSampler.wrap(
                sampler, config.getBoolean(ReadRequestSampler.PROPERTY, false)));
    customizer.addResourceCustomizer(
        (resource, config) -> {
          List<String> disabled = config.getList(DISABLED_RESOURCE_KEYS);
          return disabled.isEmpty()
              ? resource
              : resource.toBuilder().removeIf(key -> disabled.contains(key.getKey())).build();
        });
    ExportPipelines pipelines = new ExportPipelines();
    customizer.addSpanExporterCustomizer(pipelines::take);
    customizer.addSpanProcessorCustomizer(pipelines::replace);
  }
}
