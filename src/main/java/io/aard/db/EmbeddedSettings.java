package io.aard.db;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;

/**
 * The settings of the embedded PostgreSQL ({@code AARD_DB_EMBEDDED}, {@code AARD_DB_EMBEDDED_DIR})
 * and the decisions taken from them; pure, for unit tests.
 */
public final class EmbeddedSettings {

  /** {@code auto} (the default), {@code true} or {@code false}. */
  public static final String MODE_KEY = "AARD_DB_EMBEDDED";

  /** Where the embedded PostgreSQL keeps its data and unpacked binaries. */
  public static final String DIR_KEY = "AARD_DB_EMBEDDED_DIR";

  /** When AARD starts an embedded PostgreSQL. */
  public enum Mode {
    /** When the configured loopback host and port have nothing listening. */
    AUTO,
    /** Always, on {@code AARD_DB_PORT}. */
    TRUE,
    /** Never. */
    FALSE
  }

  private EmbeddedSettings() {}

  /** The mode; a value other than auto, true or false is refused naming the key. */
  public static Mode mode(Function<String, String> lookup) {
    String value = lookup.apply(MODE_KEY);
    if (value == null || value.isBlank()) {
      return Mode.AUTO;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "auto" -> Mode.AUTO;
      case "true" -> Mode.TRUE;
      case "false" -> Mode.FALSE;
      default ->
          throw new IllegalArgumentException(
              MODE_KEY + "=" + value + " is not valid: use auto, true or false");
    };
  }

  /**
   * The data directory root: {@code AARD_DB_EMBEDDED_DIR}, else {@code embedded-postgres} in the
   * server's output directory, so that it survives restarts but not a {@code mvn clean}.
   */
  public static Path directory(Function<String, String> lookup, Path serverOutputDir) {
    String value = lookup.apply(DIR_KEY);
    if (value != null && !value.isBlank()) {
      return Path.of(value.trim()).toAbsolutePath();
    }
    return serverOutputDir.resolve("embedded-postgres").toAbsolutePath();
  }

  /**
   * Whether {@code host} names this machine's loopback interface; only there can AARD start a
   * database that its data sources reach. A name that does not resolve is not loopback.
   */
  public static boolean isLoopback(String host) {
    if (host == null || host.isBlank()) {
      return true;
    }
    String h = host.trim();
    if (h.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      // Literal addresses only: a DNS name other than localhost is a real database host.
      if (!h.matches("[0-9.]+|\\[?[0-9a-fA-F:]+]?")) {
        return false;
      }
      return InetAddress.getByName(h.replace("[", "").replace("]", "")).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** The port, checked: 1 to 65535. */
  public static int port(String value) {
    try {
      int port = Integer.parseInt(value == null ? "5432" : value.trim());
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "AARD_DB_PORT=" + value + " is not valid: use a port number from 1 to 65535");
  }
}
