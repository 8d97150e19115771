package io.aard.tracequery;

import io.aard.web.ApiException;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code attribute=key=value} filter, matched on span attributes by jsonb containment ({@code
 * attributes @> '{"key": value}'}) so that the GIN {@code jsonb_path_ops} index serves it.
 *
 * <p>How the value is typed: it always matches the JSON string {@code "value"}; when it is also a
 * JSON number ({@code 12}, {@code -0.5}, {@code 1e3}) it matches that number too, and when it is
 * {@code true} or {@code false} that boolean too. So {@code gen_ai.usage.input_tokens=12} finds the
 * number 12 and the string "12". A value in double quotes ({@code key="12"}) is a JSON string and
 * matches only that string. An array attribute matches when it contains the value. The key is
 * everything before the first {@code =}; the value may contain further {@code =} signs.
 *
 * @param key the attribute key, not blank
 * @param candidates the JSON documents, one per accepted type, any of which must be contained
 */
record AttributeFilter(String key, List<String> candidates) {

  static final String PARAMETER = "attribute";
  static final int MAX_KEY_LENGTH = 256;
  private static final int MAX_NUMBER_DIGITS = 1000;

  private static final Pattern JSON_NUMBER =
      Pattern.compile("-?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?");

  AttributeFilter {
    candidates = List.copyOf(candidates);
  }

  /** Parses {@code key=value}, or answers a 400 naming {@code attribute}. */
  static AttributeFilter parse(String raw) {
    int eq = raw == null ? -1 : raw.indexOf('=');
    if (eq <= 0 || raw.substring(0, eq).isBlank()) {
      throw ApiException.badRequest(
          PARAMETER, "attribute must be key=value, e.g. attribute=gen_ai.request.model=llama3.2");
    }
    String key = raw.substring(0, eq);
    String value = raw.substring(eq + 1);
    // The whole key=value is at most 1,024 characters (RequestLimitFilter); keys are shorter.
    if (key.length() > MAX_KEY_LENGTH) {
      throw ApiException.badRequest(
          PARAMETER, "attribute keys are at most " + MAX_KEY_LENGTH + " characters");
    }
    if (raw.indexOf('\u0000') >= 0) {
      throw ApiException.badRequest(PARAMETER, "attribute must not contain NUL characters");
    }
    List<JsonValue> values = new ArrayList<>(2);
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      values.add(Json.createValue(value.substring(1, value.length() - 1)));
    } else {
      values.add(Json.createValue(value));
      if (JSON_NUMBER.matcher(value).matches() && withinNumericRange(new BigDecimal(value))) {
        values.add(Json.createValue(new BigDecimal(value)));
      } else if (value.equals("true")) {
        values.add(JsonValue.TRUE);
      } else if (value.equals("false")) {
        values.add(JsonValue.FALSE);
      }
    }
    List<String> candidates = new ArrayList<>(values.size() * 2);
    for (JsonValue v : values) {
      candidates.add(document(key, v));
    }
    // Containment looks into arrays only at the top level, so an array attribute needs its own.
    for (JsonValue v : values) {
      candidates.add(document(key, Json.createArrayBuilder().add(v).build()));
    }
    return new AttributeFilter(key, candidates);
  }

  /** PostgreSQL's numeric (behind jsonb numbers) refuses magnitudes far beyond any attribute. */
  private static boolean withinNumericRange(BigDecimal number) {
    return Math.abs(number.scale()) <= MAX_NUMBER_DIGITS
        && number.precision() - number.scale() <= MAX_NUMBER_DIGITS;
  }

  private static String document(String key, JsonValue value) {
    return Json.createObjectBuilder().add(key, value).build().toString();
  }
}
