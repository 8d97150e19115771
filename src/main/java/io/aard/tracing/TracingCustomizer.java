package io.aard.tracing;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;

/**
 * Hooks AARD into the SDK that MicroProfile Telemetry configures for the application: the {@link
 * WorkContextProcessor} that stamps task, plan, agent and tool ids on every span.
 */
public final class TracingCustomizer implements AutoConfigurationCustomizerProvider {

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    customizer.addTracerProviderCustomizer(
        (builder, config) -> builder.addSpanProcessor(new WorkContextProcessor()));
  }
}
