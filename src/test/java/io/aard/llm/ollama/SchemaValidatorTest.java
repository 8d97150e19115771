package io.aard.llm.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.llm.AgentProfile;
import io.aard.llm.ProposedStep;
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
        List.of(
            "$.steps[1]: fits none of the 2 branches of anyOf (agent 'writer', agent 'analyst');"
                + " closest is agent 'writer': $.steps[1].tool: 'hammer' is not one of [llm,"
                + " text]"),
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
    for (int i = 0; i < ProposedStep.MAX_STEPS + 1; i++) {
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
        List.of(
            "$.steps[0]: fits none of the 2 branches of anyOf (agent 'writer', agent 'analyst');"
                + " closest is agent 'writer':"
                + " $.steps[0].description: is 0 characters long, at least 1 required"),
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
            "$.steps[0]: fits none of the 2 branches of anyOf (agent 'writer', agent 'analyst');"
                + " closest is agent 'writer': $.steps[0]: required property 'input' is missing;"
                + " $.steps[0].agent: expected 'writer', got 'pirate'",
            "$.steps[1]: fits none of the 2 branches of anyOf (agent 'writer', agent 'analyst');"
                + " closest is agent 'writer': $.steps[1].input: expected string, got integer"),
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
  void planSchemaNeedsAnAgentWithATool() {
    assertThrows(IllegalArgumentException.class, () -> JsonSchemas.decomposition(List.of()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            JsonSchemas.decomposition(
                List.of(new AgentProfile("idle", "Does nothing.", List.of()))));
  }

  @Test
  void constAcceptsOnlyItsValueComparingNumbersByValue() {
    JsonObject one = schema("{'const': 1}");

    assertEquals(List.of(), SchemaValidator.validate(one, json("1")));
    assertEquals(List.of(), SchemaValidator.validate(one, json("1.0")));
    assertEquals(List.of("$: expected 1, got 2"), SchemaValidator.validate(one, json("2")));
    assertEquals(List.of("$: expected 1, got '1'"), SchemaValidator.validate(one, json("'1'")));
  }

  @Test
  void constOfAStringNamesBothValues() {
    JsonObject writer = schema("{'type': 'string', 'const': 'writer'}");

    assertEquals(List.of(), SchemaValidator.validate(writer, json("'writer'")));
    assertEquals(
        List.of("$: expected 'writer', got 'Writer'"),
        SchemaValidator.validate(writer, json("'Writer'")));
    assertEquals(
        List.of("$: expected string, got integer"), SchemaValidator.validate(writer, json("7")));
  }

  @Test
  void constOfAnObjectComparesDeeplyInAnyKeyOrder() {
    JsonObject point = schema("{'const': {'x': 1, 'tags': ['a', 'b']}}");

    assertEquals(
        List.of(), SchemaValidator.validate(point, json("{'tags': ['a', 'b'], 'x': 1.0}")));
    assertEquals(1, SchemaValidator.validate(point, json("{'x': 1, 'tags': ['b', 'a']}")).size());
    assertEquals(1, SchemaValidator.validate(point, json("{'x': 1}")).size());
  }

  @Test
  void enumComparesNumbersByValue() {
    assertEquals(List.of(), SchemaValidator.validate(schema("{'enum': [1, 2]}"), json("2.0")));
  }

  @Test
  void constAndTheSameOneValueEnumAreReportedOnce() {
    JsonObject both = schema("{'type': 'string', 'const': 'a', 'enum': ['a']}");

    assertEquals(List.of("$: expected 'a', got 'b'"), SchemaValidator.validate(both, json("'b'")));
  }

  @Test
  void anyOfAcceptsAValueThatFitsOneOrMoreBranches() {
    JsonObject anyOf = schema("{'anyOf': [{'type': 'integer'}, {'type': 'number'}]}");

    assertEquals(List.of(), SchemaValidator.validate(anyOf, json("3")));
    assertEquals(List.of(), SchemaValidator.validate(anyOf, json("3.5")));
  }

  @Test
  void anyOfThatNoBranchFitsReportsTheClosestBranch() {
    JsonObject anyOf =
        schema(
            "{'anyOf': [{'type': 'string', 'minLength': 3},"
                + " {'type': 'string', 'minLength': 3, 'maxLength': 4, 'enum': ['abc']}]}");

    assertEquals(
        List.of(
            "$: fits none of the 2 branches of anyOf; closest is anyOf[0]:"
                + " $: is 2 characters long, at least 3 required"),
        SchemaValidator.validate(anyOf, json("'ab'")));
  }

  @Test
  void anyOfWhoseBranchesAllFailAlikeSaysSo() {
    JsonObject anyOf =
        schema(
            "{'anyOf': [{'type': 'object', 'properties': {'kind': {'const': 'a'}}},"
                + " {'type': 'object', 'properties': {'kind': {'const': 'b'}}}]}");

    assertEquals(
        List.of(
            "$: fits none of the 2 branches of anyOf (kind 'a', kind 'b');"
                + " each fails with: $: expected object, got string"),
        SchemaValidator.validate(anyOf, json("'a'")));
  }

  @Test
  void theClosestBranchIsTheOneWhoseConstTheValueMatchesEvenWithMoreViolations() {
    JsonObject anyOf =
        schema(
            "{'anyOf': [{'type': 'object', 'properties': {'kind': {'const': 'a'}}},"
                + " {'type': 'object', 'properties': {'kind': {'const': 'b'},"
                + " 'n': {'type': 'integer'}, 'm': {'type': 'integer'}}}]}");

    assertEquals(
        List.of(
            "$: fits none of the 2 branches of anyOf (kind 'a', kind 'b'); closest is kind 'b':"
                + " $.n: expected integer, got string; $.m: expected integer, got string"),
        SchemaValidator.validate(anyOf, json("{'kind': 'b', 'n': 'x', 'm': 'y'}")));
  }

  @Test
  void oneOfAcceptsAValueThatFitsExactlyOneBranch() {
    JsonObject oneOf = schema("{'oneOf': [{'type': 'string'}, {'type': 'integer'}]}");

    assertEquals(List.of(), SchemaValidator.validate(oneOf, json("'x'")));
    assertEquals(List.of(), SchemaValidator.validate(oneOf, json("1")));
    assertEquals(
        List.of(
            "$: fits none of the 2 branches of oneOf;"
                + " closest is oneOf[0]: $: expected string, got boolean"),
        SchemaValidator.validate(oneOf, JsonValue.TRUE));
  }

  @Test
  void oneOfWithTwoFittingBranchesFails() {
    JsonObject oneOf = schema("{'oneOf': [{'type': 'integer'}, {'type': 'number'}]}");

    assertEquals(List.of(), SchemaValidator.validate(oneOf, json("3.5")));
    assertEquals(
        List.of("$: fits 2 branches of oneOf (oneOf[0], oneOf[1]), but exactly one is allowed"),
        SchemaValidator.validate(oneOf, json("3")));
  }

  @Test
  void branchesNestedInsideArraysAndObjectsReportTheirFullPath() {
    JsonObject nested =
        schema(
            "{'type': 'object', 'properties': {'rows': {'type': 'array', 'items':"
                + " {'oneOf': [{'type': 'object', 'additionalProperties': false,"
                + " 'properties': {'kind': {'const': 'n'}, 'value': {'type': 'number'}}},"
                + " {'type': 'object', 'additionalProperties': false,"
                + " 'properties': {'kind': {'const': 's'}, 'value': {'type': 'string'}}}]}}}}");

    assertEquals(
        List.of(), SchemaValidator.validate(nested, json("{'rows': [{'kind': 'n', 'value': 1}]}")));
    assertEquals(
        List.of(
            "$.rows[1]: fits none of the 2 branches of oneOf (kind 'n', kind 's');"
                + " closest is kind 's': $.rows[1].value: expected string, got integer"),
        SchemaValidator.validate(
            nested, json("{'rows': [{'kind': 'n', 'value': 1}, {'kind': 's', 'value': 2}]}")));
  }

  @Test
  void descriptionAndTitleConstrainNothing() {
    JsonObject annotated = schema("{'title': 'T', 'description': 'D', 'type': 'string'}");

    assertEquals(List.of(), SchemaValidator.validate(annotated, json("'anything'")));
  }

  @Test
  void violationsAreImmutable() {
    List<String> violations = SchemaValidator.validate(JsonSchemas.analysis(), json("{}"));

    assertEquals(3, violations.size());
    assertThrows(UnsupportedOperationException.class, () -> violations.add("x"));
    assertTrue(violations.get(0).startsWith("$: required property"));
  }
}
