package io.aard.llm.ollama;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Checks a JSON value against the subset of JSON Schema that AARD's structured outputs use, the
 * {@link #KEYWORDS}: {@code type} (object, array, string, integer, number, boolean, null, or a list
 * of them), {@code properties}, {@code required}, {@code additionalProperties: false}, {@code
 * enum}, {@code const}, {@code anyOf}, {@code oneOf}, {@code items}, {@code minItems}/{@code
 * maxItems} and {@code minLength}/{@code maxLength}; {@code description} and {@code title} are
 * annotations, which constrain nothing. Other keywords are ignored, so {@link JsonSchemas} uses
 * none.
 *
 * <p>Ollama constrains generation with the schema, but a model server may ignore it (an older
 * version, a proxy), so AARD checks every answer before trusting it.
 */
public final class SchemaValidator {

  /** Every keyword this validator understands; a schema should use no other. */
  public static final Set<String> KEYWORDS =
      Set.of(
          "type",
          "properties",
          "required",
          "additionalProperties",
          "enum",
          "const",
          "anyOf",
          "oneOf",
          "items",
          "minItems",
          "maxItems",
          "minLength",
          "maxLength",
          "description",
          "title");

  /**
   * One violation. {@code constMiss} marks a value that is not its schema's {@code const}: in an
   * {@code anyOf} branch that is the branch's discriminator saying the value meant another branch.
   */
  private record Violation(String text, boolean constMiss) {}

  private SchemaValidator() {}

  /**
   * Validates an instance.
   *
   * <p>When a value fits no branch of an {@code anyOf} or {@code oneOf}, the one message names the
   * branches and repeats the violations of the closest one: the one whose {@code const}s the value
   * matches, then the one with the fewest violations, then the first. For a plan step that is the
   * branch of the agent the step names, for example {@code $.steps[0]: fits none of the 2 branches
   * of anyOf (agent 'researcher', agent 'analyst'); closest is agent 'researcher': $.steps[0].tool:
   * 'calculator' is not one of [http_get, llm]}.
   *
   * @return one message per violation, each starting with the JSON-pointer-like path of the
   *     offending value (for example {@code $.steps[1].tool: 'hammer' is not one of [calculator,
   *     llm]}); empty when the instance fits
   */
  public static List<String> validate(JsonObject schema, JsonValue instance) {
    List<Violation> violations = new ArrayList<>();
    check(schema, instance, "$", violations);
    return violations.stream().map(Violation::text).toList();
  }

  private static void check(JsonObject schema, JsonValue value, String path, List<Violation> out) {
    if (schema.containsKey("type") && !hasType(schema.get("type"), value)) {
      fail(out, path + ": expected " + describeType(schema.get("type")) + ", got " + typeOf(value));
      return;
    }
    boolean constMissed = false;
    if (schema.containsKey("const") && !same(schema.get("const"), value)) {
      out.add(
          new Violation(
              path + ": expected " + show(schema.get("const")) + ", got " + show(value), true));
      constMissed = true;
    }
    // A one-value enum beside a const (JsonSchemas writes both) says the same; say it once.
    if (!constMissed
        && schema.containsKey("enum")
        && schema.getJsonArray("enum").stream().noneMatch(v -> same(v, value))) {
      fail(
          out,
          path + ": " + show(value) + " is not one of " + showEnum(schema.getJsonArray("enum")));
    }
    if (schema.containsKey("anyOf")) {
      checkBranches("anyOf", schema.getJsonArray("anyOf"), value, path, out);
    }
    if (schema.containsKey("oneOf")) {
      checkBranches("oneOf", schema.getJsonArray("oneOf"), value, path, out);
    }
    switch (value.getValueType()) {
      case OBJECT -> checkObject(schema, value.asJsonObject(), path, out);
      case ARRAY -> checkArray(schema, value.asJsonArray(), path, out);
      case STRING -> checkString(schema, ((JsonString) value).getString(), path, out);
      default -> {}
    }
  }

  /** anyOf needs at least one fitting branch, oneOf exactly one. */
  private static void checkBranches(
      String keyword, JsonArray branches, JsonValue value, String path, List<Violation> out) {
    List<List<Violation>> results = new ArrayList<>();
    for (JsonValue branch : branches) {
      List<Violation> violations = new ArrayList<>();
      check(branch.asJsonObject(), value, path, violations);
      results.add(violations);
    }
    List<Integer> fitting =
        IntStream.range(0, results.size()).filter(i -> results.get(i).isEmpty()).boxed().toList();
    if (fitting.size() == 1 || (fitting.size() > 1 && keyword.equals("anyOf"))) {
      return;
    }
    if (fitting.size() > 1) {
      fail(
          out,
          path
              + ": fits "
              + fitting.size()
              + " branches of oneOf ("
              + fitting.stream()
                  .map(i -> label(keyword, i, branches.getJsonObject(i)))
                  .collect(Collectors.joining(", "))
              + "), but exactly one is allowed");
      return;
    }
    StringBuilder message =
        new StringBuilder(path)
            .append(": fits none of the ")
            .append(branches.size())
            .append(" branches of ")
            .append(keyword);
    if (results.isEmpty()) {
      fail(out, message.toString());
      return;
    }
    List<String> consts =
        IntStream.range(0, branches.size())
            .mapToObj(i -> constsOf(branches.getJsonObject(i)))
            .toList();
    if (consts.stream().noneMatch(String::isEmpty)) {
      message.append(" (").append(String.join(", ", consts)).append(')');
    }
    if (results.stream().distinct().count() == 1) {
      // Every branch fails alike (say, the value is not even an object): none is closer.
      fail(out, message.append("; each fails with: ").append(texts(results.get(0))).toString());
      return;
    }
    int closest =
        IntStream.range(0, results.size())
            .boxed()
            .min(
                Comparator.comparingLong(
                        (Integer i) -> results.get(i).stream().filter(Violation::constMiss).count())
                    .thenComparingInt(i -> results.get(i).size()))
            .orElseThrow();
    fail(
        out,
        message
            .append("; closest is ")
            .append(label(keyword, closest, branches.getJsonObject(closest)))
            .append(": ")
            .append(texts(results.get(closest)))
            .toString());
  }

  /** A branch by its consts, which say what it is for, or else by its index. */
  private static String label(String keyword, int index, JsonObject branch) {
    String consts = constsOf(branch);
    return consts.isEmpty() ? keyword + "[" + index + "]" : consts;
  }

  /** The {@code const}s of a branch and of its properties, as {@code agent 'writer'}. */
  private static String constsOf(JsonObject branch) {
    List<String> consts = new ArrayList<>();
    if (branch.containsKey("const")) {
      consts.add(show(branch.get("const")));
    }
    if (branch.get("properties") instanceof JsonObject properties) {
      properties.forEach(
          (name, property) -> {
            if (property instanceof JsonObject schema && schema.containsKey("const")) {
              consts.add(name + " " + show(schema.get("const")));
            }
          });
    }
    return String.join(" ", consts);
  }

  private static String texts(List<Violation> violations) {
    return violations.stream().map(Violation::text).collect(Collectors.joining("; "));
  }

  private static void fail(List<Violation> out, String text) {
    out.add(new Violation(text, false));
  }

  private static void checkObject(
      JsonObject schema, JsonObject object, String path, List<Violation> out) {
    JsonObject properties =
        schema.containsKey("properties")
            ? schema.getJsonObject("properties")
            : JsonValue.EMPTY_JSON_OBJECT;
    if (schema.containsKey("required")) {
      for (JsonValue name : schema.getJsonArray("required")) {
        String key = ((JsonString) name).getString();
        if (!object.containsKey(key)) {
          fail(out, path + ": required property '" + key + "' is missing");
        }
      }
    }
    boolean closed = JsonValue.FALSE.equals(schema.get("additionalProperties"));
    for (var entry : object.entrySet()) {
      String childPath = path + "." + entry.getKey();
      if (properties.containsKey(entry.getKey())) {
        check(properties.getJsonObject(entry.getKey()), entry.getValue(), childPath, out);
      } else if (closed) {
        fail(out, path + ": property '" + entry.getKey() + "' is not allowed");
      }
    }
  }

  private static void checkArray(
      JsonObject schema, JsonArray array, String path, List<Violation> out) {
    if (schema.containsKey("minItems") && array.size() < schema.getInt("minItems")) {
      fail(
          out,
          path
              + ": has "
              + array.size()
              + " items, at least "
              + schema.getInt("minItems")
              + " required");
    }
    if (schema.containsKey("maxItems") && array.size() > schema.getInt("maxItems")) {
      fail(
          out,
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

  private static void checkString(
      JsonObject schema, String string, String path, List<Violation> out) {
    // JSON Schema counts characters, not UTF-16 units.
    int length = string.codePointCount(0, string.length());
    if (schema.containsKey("minLength") && length < schema.getInt("minLength")) {
      fail(
          out,
          path
              + ": is "
              + length
              + " characters long, at least "
              + schema.getInt("minLength")
              + " required");
    }
    if (schema.containsKey("maxLength") && length > schema.getInt("maxLength")) {
      fail(
          out,
          path
              + ": is "
              + length
              + " characters long, at most "
              + schema.getInt("maxLength")
              + " allowed");
    }
  }

  /** JSON equality as JSON Schema means it: numbers by value (1 is 1.0), objects in any order. */
  private static boolean same(JsonValue a, JsonValue b) {
    if (a instanceof JsonNumber x && b instanceof JsonNumber y) {
      return x.bigDecimalValue().compareTo(y.bigDecimalValue()) == 0;
    }
    if (a instanceof JsonArray x && b instanceof JsonArray y) {
      return x.size() == y.size()
          && IntStream.range(0, x.size()).allMatch(i -> same(x.get(i), y.get(i)));
    }
    if (a instanceof JsonObject x && b instanceof JsonObject y) {
      return x.keySet().equals(y.keySet())
          && x.keySet().stream().allMatch(key -> same(x.get(key), y.get(key)));
    }
    return a.equals(b);
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
