package io.aard.tracing;

import io.aard.Settings;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Feeds AARD's tracing keys ({@code ENABLE_TRACING}, {@code TRACING_EXPORTER}, ...) to the
 * OpenTelemetry SDK as the {@code otel.*} properties it reads in application mode. Its ordinal is
 * below every standard source, so an {@code otel.*} property set directly wins.
 */
public final class TracingConfigSource implements ConfigSource {

  private static final int ORDINAL = 90;

  private volatile Map<String, String> properties;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> current = properties;
    if (current == null) {
      current = TracingSettings.otelProperties(TracingConfigSource::lookup);
      properties = current;
    }
    return current;
  }

  /** Fixed, so that listing names never reads the rest of the configuration. */
  @Override
  public Set<String> getPropertyNames() {
    return TracingSettings.OTEL_KEYS;
  }

  @Override
  public String getValue(String propertyName) {
    if (!propertyName.startsWith("otel.")) {
      return null;
    }
    return getProperties().get(propertyName);
  }

  @Override
  public String getName() {
    return "aard-tracing";
  }

  @Override
  public int getOrdinal() {
    return ORDINAL;
  }

  /** An AARD key from the whole configuration: environment, system properties, server.xml. */
  private static String lookup(String key) {
    try {
      return Settings.lookup().apply(key);
    } catch (RuntimeException e) {
      String value = System.getProperty(key);
      return value != null ? value : System.getenv(key);
    }
  }
}
