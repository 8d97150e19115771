package io.aard.llm.ollama;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.llm.AgentProfile;
import io.aard.llm.Capability;
import io.aard.llm.ProposedStep;
import io.aard.llm.StepReferences;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class JsonSchemasTest {

  /** The agents AARD ships with. */
  private static final List<AgentProfile> AGENTS =
      List.of(
          new AgentProfile("researcher", "Finds things out.", List.of("http_get", "llm")),
          new AgentProfile("analyst", "Calculates and counts.", List.of("calculator", "text")),
          new AgentProfile("writer", "Writes prose.", List.of("llm", "text")));

  private static final List<String> ALL_TOOLS =
      List.copyOf(new TreeSet<>(AGENTS.stream().flatMap(agent -> agent.tools().stream()).toList()));

  private static JsonObject plan(String agent, String tool) {
    return Json.createObjectBuilder()
        .add(
            "steps",
            Json.createArrayBuilder()
                .add(
                    Json.createObjectBuilder()
                        .add("description", "Do it")
                        .add("agent", agent)
                        .add("tool", tool)
                        .add("input", "x")))
        .build();
  }

  /** Each keyword a schema uses, with where; property names and enum values are not keywords. */
  private static void collectKeywords(JsonObject schema, String path, List<String> found) {
    for (Map.Entry<String, JsonValue> entry : schema.entrySet()) {
      String keyword = entry.getKey();
      JsonValue value = entry.getValue();
      found.add(path + " " + keyword);
      switch (keyword) {
        case "properties" ->
            value
                .asJsonObject()
                .forEach(
                    (name, property) ->
                        collectKeywords(
                            property.asJsonObject(), path + ".properties." + name, found));
        case "items" -> collectKeywords(value.asJsonObject(), path + ".items", found);
        case "anyOf", "oneOf" -> {
          JsonArray branches = value.asJsonArray();
          for (int i = 0; i < branches.size(); i++) {
            collectKeywords(branches.getJsonObject(i), path + "." + keyword + "[" + i + "]", found);
          }
        }
        case "additionalProperties" -> {
          if (value instanceof JsonObject nested) {
            collectKeywords(nested, path + ".additionalProperties", found);
          }
        }
        default -> {}
      }
    }
  }

  @Test
  void everyKeywordOfEverySchemaIsOneTheValidatorUnderstands() {
    List<String> found = new ArrayList<>();
    collectKeywords(JsonSchemas.analysis(), "analysis", found);
    collectKeywords(JsonSchemas.decomposition(AGENTS), "decomposition", found);

    List<String> unknown =
        found.stream()
            .filter(use -> !SchemaValidator.KEYWORDS.contains(use.substring(use.indexOf(' ') + 1)))
            .toList();
    assertEquals(List.of(), unknown);
    // The walk reaches inside the branches, or it would prove little.
    assertTrue(
        found.contains("decomposition.properties.steps.items.anyOf[2].properties.agent const"));
    assertTrue(
        found.contains(
            "decomposition.properties.steps.items.anyOf[0].properties.input description"));
  }

  @Test
  void everyStepWhoseToolBelongsToItsAgentFits() {
    JsonObject schema = JsonSchemas.decomposition(AGENTS);
    for (AgentProfile agent : AGENTS) {
      for (String tool : agent.tools()) {
        assertEquals(
            List.of(),
            SchemaValidator.validate(schema, plan(agent.name(), tool)),
            agent.name() + " with " + tool);
      }
    }
  }

  @Test
  void everyStepWhoseToolIsAnotherAgentsIsRefusedNamingItsAgentAndItsTools() {
    JsonObject schema = JsonSchemas.decomposition(AGENTS);
    int refused = 0;
    for (AgentProfile agent : AGENTS) {
      for (String tool : ALL_TOOLS) {
        if (agent.tools().contains(tool)) {
          continue;
        }
        List<String> violations = SchemaValidator.validate(schema, plan(agent.name(), tool));

        assertEquals(
            List.of(
                "$.steps[0]: fits none of the 3 branches of anyOf"
                    + " (agent 'researcher', agent 'analyst', agent 'writer');"
                    + " closest is agent '"
                    + agent.name()
                    + "': $.steps[0].tool: '"
                    + tool
                    + "' is not one of "
                    + agent.tools().toString()),
            violations,
            agent.name() + " with " + tool);
        refused++;
      }
    }
    // researcher lacks calculator and text, analyst http_get and llm, writer calculator and
    // http_get.
    assertEquals(6, refused);
  }

  @Test
  void researcherWithCalculatorIsRefusedAsTheResearchersStep() {
    assertEquals(
        List.of(
            "$.steps[0]: fits none of the 3 branches of anyOf"
                + " (agent 'researcher', agent 'analyst', agent 'writer');"
                + " closest is agent 'researcher':"
                + " $.steps[0].tool: 'calculator' is not one of [http_get, llm]"),
        SchemaValidator.validate(
            JsonSchemas.decomposition(AGENTS), plan("researcher", "calculator")));
  }

  @Test
  void unknownAgentIsRefusedListingTheAgents() {
    String violation =
        SchemaValidator.validate(JsonSchemas.decomposition(AGENTS), plan("pirate", "llm")).get(0);

    assertTrue(
        violation.startsWith(
            "$.steps[0]: fits none of the 3 branches of anyOf"
                + " (agent 'researcher', agent 'analyst', agent 'writer');"),
        violation);
    assertTrue(violation.contains("$.steps[0].agent: expected 'researcher', got 'pirate'"));
  }

  @Test
  void planSchemaHasOneClosedBranchPerAgentWithThatAgentsTools() {
    JsonObject steps =
        JsonSchemas.decomposition(AGENTS).getJsonObject("properties").getJsonObject("steps");
    JsonArray branches = steps.getJsonObject("items").getJsonArray("anyOf");

    assertEquals(JsonSchemas.MIN_STEPS, steps.getInt("minItems"));
    assertEquals(ProposedStep.MAX_STEPS, steps.getInt("maxItems"));
    assertEquals(AGENTS.size(), branches.size());
    for (int i = 0; i < AGENTS.size(); i++) {
      JsonObject branch = branches.getJsonObject(i);
      JsonObject properties = branch.getJsonObject("properties");
      assertEquals("object", branch.getString("type"));
      assertEquals(JsonValue.FALSE, branch.get("additionalProperties"));
      assertEquals(
          Json.createArrayBuilder(List.of("description", "agent", "tool", "input")).build(),
          branch.getJsonArray("required"));
      assertEquals(AGENTS.get(i).name(), properties.getJsonObject("agent").getString("const"));
      assertEquals(
          Json.createArrayBuilder(AGENTS.get(i).tools()).build(),
          properties.getJsonObject("tool").getJsonArray("enum"));
    }
  }

  @Test
  void stepInputIsDescribedWithTheReferenceSyntax() {
    JsonObject input =
        JsonSchemas.decomposition(AGENTS)
            .getJsonObject("properties")
            .getJsonObject("steps")
            .getJsonObject("items")
            .getJsonArray("anyOf")
            .getJsonObject(0)
            .getJsonObject("properties")
            .getJsonObject("input");

    assertTrue(input.getString("description").contains(StepReferences.SYNTAX));
    assertTrue(input.getString("description").contains("earlier step"));
  }

  @Test
  void agentsWithoutToolsAndRepeatedNamesGetNoBranch() {
    JsonArray branches =
        JsonSchemas.decomposition(
                List.of(
                    new AgentProfile("idle", "Does nothing.", List.of()),
                    new AgentProfile("writer", "Writes.", List.of("llm")),
                    new AgentProfile("writer", "Writes again.", List.of("text"))))
            .getJsonObject("properties")
            .getJsonObject("steps")
            .getJsonObject("items")
            .getJsonArray("anyOf");

    assertEquals(1, branches.size());
    assertEquals(
        "writer",
        branches
            .getJsonObject(0)
            .getJsonObject("properties")
            .getJsonObject("agent")
            .getString("const"));
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
  void analysisIsClosedAndRefusesAnEmptySummaryAndTooManyCapabilities() {
    JsonObject schema = JsonSchemas.analysis();
    JsonObject analysis =
        Json.createObjectBuilder()
            .add("summary", "")
            .add(
                "capabilities",
                Json.createArrayBuilder(List.of("text", "text", "web", "web", "text")))
            .add("complexity", "low")
            .build();

    assertEquals(JsonValue.FALSE, schema.get("additionalProperties"));
    assertEquals(
        List.of(
            "$.summary: is 0 characters long, at least 1 required",
            "$.capabilities: has 5 items, at most 4 allowed"),
        SchemaValidator.validate(schema, analysis));
  }

  @Test
  void analysisWithEveryCapabilityFits() {
    JsonObject analysis =
        Json.createObjectBuilder()
            .add("summary", "All of it")
            .add("capabilities", Json.createArrayBuilder(Capability.wireNames()))
            .add("complexity", "high")
            .build();

    assertFalse(Capability.wireNames().isEmpty());
    assertEquals(List.of(), SchemaValidator.validate(JsonSchemas.analysis(), analysis));
  }
}
