package io.aard.web;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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

  /** PostgreSQL's timestamptz spans far more, but no span lies outside these. */
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

  /**
   * A point in time, or {@code null} when absent or empty. Accepted: an ISO-8601 timestamp with an
   * offset ({@code 2026-01-31T12:00:00Z}, {@code 2026-01-31T13:00:00+01:00}), one without ({@code
   * 2026-01-31T12:00:00}, fractions of a second allowed) and a bare date ({@code 2026-01-31}, its
   * midnight), the last two read as UTC: examples and scripts written for other tools often leave
   * the offset out, and UTC is what every time AARD answers with is in.
   */
  public static Instant instant(String name, String raw) {
    if (raw == null || raw.isEmpty()) {
      return null;
    }
    Instant value = parseInstant(raw);
    if (value == null) {
      String hint = raw.contains(" ") ? " (encode '+' in an offset as %2B)" : "";
      throw ApiException.badRequest(
          name,
          name
              + " must be an ISO-8601 timestamp or date, e.g. 2026-01-31T12:00:00Z,"
              + " 2026-01-31T13:00:00%2B01:00, 2026-01-31T12:00:00 or 2026-01-31 (UTC without an"
              + " offset)"
              + hint);
    }
    if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
      throw ApiException.badRequest(name, name + " must be between the years 1 and 9999");
    }
    return value;
  }

  private static Instant parseInstant(String raw) {
    try {
      return OffsetDateTime.parse(raw, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeException withOffset) {
      // tried without an offset below
    }
    try {
      return LocalDateTime.parse(raw, DateTimeFormatter.ISO_LOCAL_DATE_TIME)
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException withoutOffset) {
      // tried as a date below
    }
    try {
      return LocalDate.parse(raw, DateTimeFormatter.ISO_LOCAL_DATE)
          .atStartOfDay()
          .toInstant(ZoneOffset.UTC);
    } catch (DateTimeException notADate) {
      return null;
    }
  }
}
