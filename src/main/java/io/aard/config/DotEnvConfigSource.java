package io.aard.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Settings from a {@code .env} file ({@link DotEnv#locate}: the server's directory or the project
 * root above it), below environment variables (300) and system properties (400), above the defaults
 * of {@code server.xml}. A file that cannot be read or parsed contributes nothing here and stops
 * start-up in {@link StartupCheck} with one line naming the file and line. Only settings AARD reads
 * through MicroProfile Config come from it; {@code server.xml}'s own variables ({@code AARD_DB_*}
 * of the data sources, {@code HTTP_PORT}) are Liberty's and come from the environment.
 */
public final class DotEnvConfigSource implements ConfigSource {

  private static final int ORDINAL = 250;

  private static volatile String failure;

  private final Map<String, String> properties;

  /** Reads the file once, when the configuration is built. */
  public DotEnvConfigSource() {
    this.properties = load(serverDir());
  }

  static Map<String, String> load(Path start) {
    Optional<Path> file = DotEnv.locate(start);
    if (file.isEmpty()) {
      return Map.of();
    }
    try {
      return Map.copyOf(DotEnv.read(file.get()));
    } catch (IllegalArgumentException e) {
      failure = e.getMessage();
    } catch (IOException e) {
      failure = file.get() + " cannot be read: " + e.getMessage();
    }
    return Map.of();
  }

  /** Why the {@code .env} file was not used, if it was not; for the start-up check. */
  public static Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  private static Path serverDir() {
    return Path.of(System.getProperty("server.config.dir", System.getProperty("user.dir")));
  }

  @Override
  public Map<String, String> getProperties() {
    return properties;
  }

  @Override
  public Set<String> getPropertyNames() {
    return properties.keySet();
  }

  @Override
  public String getValue(String propertyName) {
    return properties.get(propertyName);
  }

  @Override
  public String getName() {
    return "aard-dotenv";
  }

  @Override
  public int getOrdinal() {
    return ORDINAL;
  }
}
