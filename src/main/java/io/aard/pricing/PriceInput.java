package io.aard.pricing;

import io.aard.web.ApiException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.List;

/**
 * The body of {@code PUT /api/prices/{model}}, validated: each price a JSON number from 0 to
 * {@value #MAX_PRICE} USD per million tokens with at most {@value #MAX_DECIMALS} decimals (the
 * column's {@code numeric(13,6)}), no other field. Every refusal is a 400 naming the field.
 *
 * @param inputPerMillion required
 * @param outputPerMillion required
 * @param cachedInputPerMillion optional; {@code null} prices cached input tokens as input tokens
 */
record PriceInput(
    BigDecimal inputPerMillion, BigDecimal outputPerMillion, BigDecimal cachedInputPerMillion) {

  static final String INPUT = "input_per_million";
  static final String OUTPUT = "output_per_million";
  static final String CACHED_INPUT = "cached_input_per_million";
  static final List<String> FIELDS = List.of(INPUT, OUTPUT, CACHED_INPUT);

  /** The highest price accepted: far above any model's, low enough to catch a slip of units. */
  static final int MAX_PRICE = 1_000_000;

  static final int MAX_DECIMALS = 6;

  /** The longest model name or pattern, as the id columns of the span store. */
  static final int MAX_MODEL_CHARS = 256;

  static final String EXAMPLE =
      "{\"input_per_million\": 2.5, \"output_per_million\": 10, \"cached_input_per_million\":"
          + " 1.25}";

  /** Reads and checks a body. */
  static PriceInput from(JsonObject body) {
    for (String field : body.keySet()) {
      if (!FIELDS.contains(field)) {
        throw ApiException.badRequest(
            field,
            "unknown field '" + field + "': a price takes only " + String.join(", ", FIELDS));
      }
    }
    return new PriceInput(
        price(body, INPUT, true), price(body, OUTPUT, true), price(body, CACHED_INPUT, false));
  }

  /**
   * A model name from the path: 1 to {@value #MAX_MODEL_CHARS} characters without control
   * characters; a {@code *} only at the end, after at least one character (a pattern).
   */
  static String model(String raw) {
    if (raw == null
        || raw.isEmpty()
        || raw.length() > MAX_MODEL_CHARS
        || raw.isBlank()
        || raw.chars().anyMatch(Character::isISOControl)) {
      throw ApiException.badRequest(
          "model",
          "model must be a model name of 1 to "
              + MAX_MODEL_CHARS
              + " characters without control characters, e.g. gpt-4o-mini or llama3.2:3b");
    }
    int star = raw.indexOf(ModelPrice.WILDCARD);
    if (star >= 0 && (star != raw.length() - 1 || raw.length() == 1)) {
      throw ApiException.badRequest(
          "model",
          "model may end with one '*' to price every model whose name starts with what precedes"
              + " it, e.g. gpt-4o-mini*; '*' elsewhere, or alone, is not accepted");
    }
    return raw;
  }

  private static BigDecimal price(JsonObject body, String field, boolean required) {
    JsonValue value = body.get(field);
    if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
      if (required) {
        throw ApiException.badRequest(field, field + " is required, e.g. " + EXAMPLE);
      }
      return null;
    }
    if (value.getValueType() != JsonValue.ValueType.NUMBER) {
      throw ApiException.badRequest(
          field, field + " must be a JSON number of USD per million tokens, e.g. 2.5");
    }
    BigDecimal price;
    try {
      price = ((JsonNumber) value).bigDecimalValue();
    } catch (RuntimeException e) {
      // Parsson refuses numbers of more than 1,100 characters here.
      throw ApiException.badRequest(
          field, field + " may have at most " + MAX_DECIMALS + " decimals, e.g. 0.075");
    }
    if (price.signum() < 0) {
      throw ApiException.badRequest(field, field + " must be 0 or more");
    }
    // Compared before anything that costs time in the number of digits (stripping zeros).
    if (price.compareTo(BigDecimal.valueOf(MAX_PRICE)) > 0) {
      throw ApiException.badRequest(
          field, field + " must be at most " + MAX_PRICE + " USD per million tokens");
    }
    if (price.precision() > 40 || price.stripTrailingZeros().scale() > MAX_DECIMALS) {
      throw ApiException.badRequest(
          field, field + " may have at most " + MAX_DECIMALS + " decimals, e.g. 0.075");
    }
    BigDecimal exact = price.stripTrailingZeros();
    return exact.scale() < 0 ? exact.setScale(0) : exact;
  }
}
