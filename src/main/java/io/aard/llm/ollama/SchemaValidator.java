package io.aard.llm.ollama;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Checks a JSON value against the subset of JSON Schema that AARD's structured outputs use: {@code
 * type} (object, array, string, integer, number, boolean, null, or a list of them), {@code
 * properties}, {@code required}, {@code additionalProperties: false}, {@code enum}, {@code items},
 * {@code minItems}/{@code maxItems} and {@code minLength}/{@code maxLength}. Other keywords are
 * ignored.
 *
 * <p>Ollama constrains generation with the schema, but a model server may ignore it (an older
 * version, a proxy), so AARD checks every answer before trusting it.
 */
public final class SchemaValidator {

  private SchemaValidator() {}

  /**
   * Validates an instance.
   *
   * @return one message per violation, each starting with the JSON-pointer-like path of the
   *     offending value (for example {@code $.steps[1].tool: 'hammer' is not one of [calculator,
   *     llm]}); empty when the instance fits
   */
  public static List<String> validate(JsonObject schema, JsonValue instance) {
    List<String> violations = new ArrayList<>();
    check(schema, instance, "$", violations);
    return List.copyOf(violations);
  }

  private static void check(JsonObject schema, JsonValue value, String path, List<String> out) {
    if (schema.containsKey("type") && !hasType(schema.get("type"), value)) {
      out.add(path + ": expected " + describeType(schema.get("type")) + ", got " + typeOf(value));
      return;
    }
    if (schema.containsKey("enum") && !schema.getJsonArray("enum").contains(value)) {
      out.add(
          path + ": " + show(value) + " is not one of " + showEnum(schema.getJsonArray("enum")));
    }
    switch (value.getValueType()) {
      case OBJECT -> checkObject(schema, value.asJsonObject(), path, out);
      case ARRAY -> checkArray(schema, value.asJsonArray(), path, out);
      case STRING -> checkString(schema, ((JsonString) value).getString(), path, out);
      default -> {}
    }
  }

  private static void checkObject(
      JsonObject schema, JsonObject object, String path, List<String> out) {
    JsonObject properties =
        schema.containsKey("properties")
            ? schema.getJsonObject("properties")
            : JsonValue.EMPTY_JSON_OBJECT;
    if (schema.containsKey("required")) {
      for (JsonValue name : schema.getJsonArray("required")) {
        String key = ((JsonString) name).getString();
        if (!object.containsKey(key)) {
          out.add(path + ": required property '" + key + "' is missing");
        }
      }
    }
    boolean closed = JsonValue.FALSE.equals(schema.get("additionalProperties"));
    for (var entry : object.entrySet()) {
      String childPath = path + "." + entry.getKey();
      if (properties.containsKey(entry.getKey())) {
        check(properties.getJsonObject(entry.getKey()), entry.getValue(), childPath, out);
      } else if (closed) {
        out.add(path + ": property '" + entry.getKey() + "' is not allowed");
      }
    }
  }

  private static void checkArray(
      JsonObject schema, JsonArray array, String path, List<String> out) {
    if (schema.containsKey("minItems") && array.size() < schema.getInt("minItems")) {
      out.add(
          path
              + ": has "
              + array.size()
              + " items, at least "
              + schema.getInt("minItems")
              + " required");
    }
    if (schema.containsKey("maxItems") && array.size() > schema.getInt("maxItems")) {
      out.add(
          path
              + ": has "
              + array.size()
              + " items, at most "
              + schema.getInt("maxItems")
              + " allowed");
    }
    if (schema.containsKey("items")) {
      JsonObject items = schema.getJsonObject("items");
      for (int i = 0; i < array.size(); i++) {
        check(items, array.get(i), path + "[" + i + "]", out);
      }
    }
  }

  private static void checkString(JsonObject schema, String string, String path, List<String> out) {
    // JSON Schema counts characters, not UTF-16 units.
    int length = string.codePointCount(0, string.length());
    if (schema.containsKey("minLength") && length < schema.getInt("minLength")) {
      out.add(
          path
              + ": is "
              + length
              + " characters long, at least "
              + schema.getInt("minLength")
              + " required");
    }
    if (schema.containsKey("maxLength") && length > schema.getInt("maxLength")) {
      out.add(
          path
              + ": is "
              + length
              + " characters long, at most "
              + schema.getInt("maxLength")
              + " allowed");
    }
  }

  private static boolean hasType(JsonValue type, JsonValue value) {
    if (type instanceof JsonArray types) {
      return types.stream().anyMatch(t -> hasType(t, value));
    }
    String name = ((JsonString) type).getString();
    return switch (value.getValueType()) {
      case OBJECT -> name.equals("object");
      case ARRAY -> name.equals("array");
      case STRING -> name.equals("string");
      case NUMBER -> name.equals("number") || (name.equals("integer") && isIntegral(value));
      case TRUE, FALSE -> name.equals("boolean");
      case NULL -> name.equals("null");
    };
  }

  private static boolean isIntegral(JsonValue value) {
    // JSON Schema treats 1.0 as an integer.
    return ((JsonNumber) value).bigDecimalValue().stripTrailingZeros().scale() <= 0;
  }

  private static String describeType(JsonValue type) {
    if (type instanceof JsonArray types) {
      return types.stream()
          .map(t -> ((JsonString) t).getString())
          .collect(Collectors.joining(" or "));
    }
    return ((JsonString) type).getString();
  }

  private static String typeOf(JsonValue value) {
    return switch (value.getValueType()) {
      case OBJECT -> "object";
      case ARRAY -> "array";
      case STRING -> "string";
      case NUMBER -> isIntegral(value) ? "integer" : "number";
      case TRUE, FALSE -> "boolean";
      case NULL -> "null";
    };
  }

  private static String show(JsonValue value) {
    return value instanceof JsonString string ? "'" + string.getString() + "'" : value.toString();
  }

  private static String showEnum(JsonArray values) {
    return values.stream()
        .map(v -> v instanceof JsonString s ? s.getString() : v.toString())
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
