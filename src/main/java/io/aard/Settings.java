package io.aard;

import java.util.function.Function;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The one way AARD reads a setting by key outside injection: from the whole MicroProfile
 * configuration (environment, system properties, {@code server.xml} variables), as the settings
 * classes of each feature expect it, {@code null} for a key that is not set.
 */
public final class Settings {

  private Settings() {}

  /**
   * Looks keys up in the configuration as it is at each call; a feature's settings class reads and
   * validates what it needs through it, and a unit test passes a map's {@code get} instead.
   */
  public static Function<String, String> lookup() {
    return Settings::value;
  }

  private static String value(String key) {
    return ConfigProvider.getConfig().getOptionalValue(key, String.class).orElse(null);
  }
}
