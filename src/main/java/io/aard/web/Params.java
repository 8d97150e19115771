package io.aard.web;

import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Parses request parameters, answering bad values with a 400 that names the parameter and says what
 * is accepted. Parameters arrive as strings so that a malformed value is the API's error, never the
 * JAX-RS runtime's 404.
 */
public final class Params {

  private Params() {}

  /** A UUID, or a 400 naming the parameter. */
  public static UUID uuid(String name, String raw) {
    if (raw == null || raw.isBlank()) {
      throw ApiException.badRequest(name, name + " is required");
    }
    try {
      if (raw.length() == 36) {
        return UUID.fromString(raw);
      }
    } catch (IllegalArgumentException e) {
      // falls through to the 400 below
    }
    throw ApiException.badRequest(
        name, name + " must be a UUID, e.g. 3f1c2d4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f");
  }

  /** An optional UUID: {@code null} when absent or empty. */
  public static UUID optionalUuid(String name, String raw) {
    return raw == null || raw.isEmpty() ? null : uuid(name, raw);
  }

  /** A whole number in {@code [min, max]}, or {@code fallback} when absent. */
  public static int intInRange(String name, String raw, int fallback, int min, int max) {
    if (raw == null || raw.isEmpty()) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(raw.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // falls through to the 400 below
    }
    throw ApiException.badRequest(
        name, name + " must be a whole number from " + min + " to " + max);
  }

  /** One of an enum's constants (case-insensitive), or {@code null} when absent. */
  public static <E extends Enum<E>> E enumValue(String name, String raw, Class<E> type) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    try {
      return Enum.valueOf(type, raw.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      String accepted =
          Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
      throw ApiException.badRequest(name, name + " must be one of " + accepted);
    }
  }
}
