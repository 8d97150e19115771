package io.aard.llm.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.llm.AgentProfile;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaValidatorTest {

  private static final List<AgentProfile> AGENTS =
      List.of(
          new AgentProfile("writer", "Writes and rewrites prose.", List.of("llm", "text")),
          new AgentProfile(
              "analyst", "Calculates and fetches.", List.of("calculator", "http_get")));

  private static JsonValue json(String text) {
    return Json.createReader(new StringReader(text.replace('\'', '"'))).readValue();
  }

  private static JsonObject schema(String text) {
    return json(text).asJsonObject();
  }

  @Test
  void validAnalysisHasNoViolations() {
    JsonValue analysis =
        json("{'summary': 'Add two numbers', 'capabilities': ['arithmetic'], 'complexity': 'low'}");

    assertEquals(List.of(), SchemaValidator.validate(JsonSchemas.analysis(), analysis));
  }

  @Test
  void validPlanHasNoViolations() {
    JsonValue plan =
        json(
            "{'steps': [{'description': 'Add', 'agent': 'analyst', 'tool': 'calculator',"
                + " 'input': '1 + 2'}]}");

    assertEquals(List.of(), SchemaValidator.validate(JsonSchemas.decomposition(AGENTS), plan));
  }

  @Test
  void valueNotInEnumIsNamedWithItsNestedPathAndTheAcceptedValues() {
    JsonValue plan =
        json(
            "{'steps': [{'description': 'Add', 'agent': 'analyst', 'tool': 'calculator',"
                + " 'input': '1 + 2'}, {'description': 'Hit', 'agent': 'writer', 'tool': 'hammer',"
                + " 'input': 'nail'}]}");

    assertEquals(
        List.of("$.steps[1].tool: 'hammer' is not one of [calculator, http_get, llm, text]"),
        SchemaValidator.validate(JsonSchemas.decomposition(AGENTS), plan));
  }

  @Test
  void missingRequiredPropertyIsReported() {
    JsonValue analysis = json("{'summary': 'x', 'capabilities': []}");

    assertEquals(
        List.of("$: required property 'complexity' is missing"),
        SchemaValidator.validate(JsonSchemas.analysis(), analysis));
  }

  @Test
  void extraPropertyIsReportedWhenAdditionalPropertiesIsFalse() {
    JsonValue analysis =
        json("{'summary': 'x', 'capabilities': [], 'complexity': 'low', 'mood': 'happy'}");

    assertEquals(
        List.of("$: property 'mood' is not allowed"),
        SchemaValidator.validate(JsonSchemas.analysis(), analysis));
  }

  @Test
  void extraPropertyIsAllowedWhenAdditionalPropertiesIsNotFalse() {
    JsonObject open = schema("{'type': 'object', 'properties': {'a': {'type': 'string'}}}");

    assertEquals(List.of(), SchemaValidator.validate(open, json("{'a': 'x', 'b': 1}")));
  }

  @Test
  void wrongTypeIsReportedWithExpectedAndActualType() {
    JsonValue analysis = json("{'summary': 42, 'capabilities': 'arithmetic', 'complexity': 'low'}");

    assertEquals(
        List.of(
            "$.summary: expected string, got integer",
            "$.capabilities: expected array, got string"),
        SchemaValidator.validate(JsonSchemas.analysis(), analysis));
  }

  @Test
  void rootOfWrongTypeIsReportedAtDollar() {
    assertEquals(
        List.of("$: expected object, got array"),
        SchemaValidator.validate(JsonSchemas.analysis(), json("[]")));
  }

  @Test
  void integerAcceptsWholeNumbersOnlyButNumberAcceptsBoth() {
    JsonObject integer = schema("{'type': 'integer'}");
    JsonObject number = schema("{'type': 'number'}");

    assertEquals(List.of(), SchemaValidator.validate(integer, json("3")));
    assertEquals(List.of(), SchemaValidator.validate(integer, json("3.0")));
    assertEquals(
        List.of("$: expected integer, got number"), SchemaValidator.validate(integer, json("3.5")));
    assertEquals(List.of(), SchemaValidator.validate(number, json("3.5")));
    assertEquals(List.of(), SchemaValidator.validate(number, json("3")));
  }

  @Test
  void booleanAndTypeListsAreChecked() {
    JsonObject flag = schema("{'type': 'boolean'}");
    JsonObject nullable = schema("{'type': ['string', 'null']}");

    assertEquals(List.of(), SchemaValidator.validate(flag, JsonValue.TRUE));
    assertEquals(
        List.of("$: expected boolean, got string"), SchemaValidator.validate(flag, json("'true'")));
    assertEquals(List.of(), SchemaValidator.validate(nullable, JsonValue.NULL));
    assertEquals(
        List.of("$: expected string or null, got integer"),
        SchemaValidator.validate(nullable, json("1")));
  }

  @Test
  void tooFewAndTooManyItemsAreReported() {
    JsonObject plan = JsonSchemas.decomposition(AGENTS);
    StringBuilder many = new StringBuilder("{'steps': [");
    for (int i = 0; i < JsonSchemas.MAX_STEPS + 1; i++) {
      many.append(i == 0 ? "" : ", ")
          .append("{'description': 'd', 'agent': 'writer', 'tool': 'llm', 'input': 'i'}");
    }
    many.append("]}");

    assertEquals(
        List.of("$.steps: has 0 items, at least 1 required"),
        SchemaValidator.validate(plan, json("{'steps': []}")));
    assertEquals(
        List.of("$.steps: has 21 items, at most 20 allowed"),
        SchemaValidator.validate(plan, json(many.toString())));
  }

  @Test
  void tooShortAndTooLongStringsAreReportedInCharacters() {
    JsonObject bounded = schema("{'type': 'string', 'minLength': 2, 'maxLength': 3}");

    assertEquals(
        List.of("$: is 1 characters long, at least 2 required"),
        SchemaValidator.validate(bounded, json("'a'")));
    assertEquals(
        List.of("$: is 4 characters long, at most 3 allowed"),
        SchemaValidator.validate(bounded, json("'abcd'")));
    // One character outside the Basic Multilingual Plane is two UTF-16 units but counts once.
    assertEquals(
        List.of("$: is 1 characters long, at least 2 required"),
        SchemaValidator.validate(bounded, Json.createValue("\uD83D\uDE00")));
  }

  @Test
  void emptyStepDescriptionIsReportedAtItsPath() {
    JsonValue plan =
        json("{'steps': [{'description': '', 'agent': 'writer', 'tool': 'llm', 'input': 'x'}]}");

    assertEquals(
        List.of("$.steps[0].description: is 0 characters long, at least 1 required"),
        SchemaValidator.validate(JsonSchemas.decomposition(AGENTS), plan));
  }

  @Test
  void violationsInSeveralPlacesAreAllReported() {
    JsonValue plan =
        json(
            "{'steps': [{'description': 'a', 'agent': 'pirate', 'tool': 'llm'},"
                + " {'description': 'b', 'agent': 'writer', 'tool': 'llm', 'input': 7}]}");

    assertEquals(
        List.of(
            "$.steps[0]: required property 'input' is missing",
            "$.steps[0].agent: 'pirate' is not one of [writer, analyst]",
            "$.steps[1].input: expected string, got integer"),
        SchemaValidator.validate(JsonSchemas.decomposition(AGENTS), plan));
  }

  @Test
  void enumOfArrayItemsIsCheckedPerItem() {
    JsonValue analysis =
        json("{'summary': 'x', 'capabilities': ['text', 'magic'], 'complexity': 'extreme'}");

    assertEquals(
        List.of(
            "$.capabilities[1]: 'magic' is not one of [arithmetic, text, web, writing]",
            "$.complexity: 'extreme' is not one of [low, medium, high]"),
        SchemaValidator.validate(JsonSchemas.analysis(), analysis));
  }

  @Test
  void planSchemaOffersEveryAgentAndTheUnionOfTheirTools() {
    JsonObject step =
        JsonSchemas.decomposition(AGENTS)
            .getJsonObject("properties")
            .getJsonObject("steps")
            .getJsonObject("items")
            .getJsonObject("properties");

    assertEquals(json("['writer', 'analyst']"), step.getJsonObject("agent").get("enum"));
    assertEquals(
        json("['calculator', 'http_get', 'llm', 'text']"), step.getJsonObject("tool").get("enum"));
  }

  @Test
  void planSchemaNeedsAnAgentWithATool() {
    assertThrows(IllegalArgumentException.class, () -> JsonSchemas.decomposition(List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            JsonSchemas.decomposition(
                List.of(new AgentProfile("idle", "Does nothing.", List.of()))));
  }

  @Test
  void violationsAreImmutable() {
    List<String> violations = SchemaValidator.validate(JsonSchemas.analysis(), json("{}"));

    assertEquals(3, violations.size());
    assertThrows(UnsupportedOperationException.class, () -> violations.add("x"));
    assertTrue(violations.get(0).startsWith("$: required property"));
  }
}
