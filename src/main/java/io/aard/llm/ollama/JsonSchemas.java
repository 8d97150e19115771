package io.aard.llm.ollama;

import io.aard.llm.AgentProfile;
import io.aard.llm.Capability;
import io.aard.llm.Complexity;
import io.aard.llm.ProposedStep;
import io.aard.llm.StepReferences;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The JSON schemas AARD hands to Ollama as {@code format}, so that the model can only answer in the
 * shape the planner parses. {@link SchemaValidator} understands every keyword used here (see {@link
 * SchemaValidator#KEYWORDS}), and every constraint used here is one that grammar-constrained
 * decoding (llama.cpp's JSON-schema-to-grammar, which Ollama uses) enforces too, so that a model
 * which follows the schema is never refused by the validator.
 */
public final class JsonSchemas {

  /** A plan has at least this many steps. */
  public static final int MIN_STEPS = 1;

  /** What the schema tells the model about a step's input. */
  static final String INPUT_DESCRIPTION =
      "The tool's input. It may use the output of an earlier step by writing "
          + StepReferences.SYNTAX
          + ", where N is the 0-based index of a step before this one.";

  private JsonSchemas() {}

  /**
   * The schema of a task analysis, a closed object: {@code summary} (non-empty string), {@code
   * capabilities} (array of at most as many {@link Capability} wire names as there are) and {@code
   * complexity} (a {@link Complexity} wire name), all required.
   */
  public static JsonObject analysis() {
    // No uniqueItems: the grammar cannot enforce it, so a model that follows the schema could
    // still repeat a capability and be refused for it. The bound keeps a looping model short.
    return object()
        .add(
            "properties",
            Json.createObjectBuilder()
                .add(
                    "summary", Json.createObjectBuilder().add("type", "string").add("minLength", 1))
                .add(
                    "capabilities",
                    Json.createObjectBuilder()
                        .add("type", "array")
                        .add("items", stringEnum(Capability.wireNames()))
                        .add("maxItems", Capability.wireNames().size()))
                .add("complexity", stringEnum(Complexity.wireNames())))
        .add("required", Json.createArrayBuilder(List.of("summary", "capabilities", "complexity")))
        .build();
  }

  /**
   * The schema of a plan, a closed object with {@code steps}: an array of {@link #MIN_STEPS} to
   * {@link ProposedStep#MAX_STEPS} steps. Each step is {@code anyOf} one branch per agent that has
   * tools (in the given order; a repeated name counts once), a closed object with {@code
   * description} (non-empty string), {@code agent} (that agent's name, as {@code const}), {@code
   * tool} (one of that agent's tools) and {@code input} (string, which may refer to an earlier
   * step's output as {@link StepReferences#SYNTAX}), all required. So a step's tool always belongs
   * to its agent.
   *
   * @throws IllegalArgumentException when no agent has a tool
   */
  public static JsonObject decomposition(List<AgentProfile> agents) {
    JsonArrayBuilder branches = Json.createArrayBuilder();
    Set<String> seen = new HashSet<>();
    for (AgentProfile agent : agents) {
      if (agent.tools().isEmpty() || !seen.add(agent.name())) {
        continue;
      }
      branches.add(step(agent));
    }
    if (seen.isEmpty()) {
      throw new IllegalArgumentException(
          "a plan schema needs at least one agent with a tool, got " + agents);
    }
    return object()
        .add(
            "properties",
            Json.createObjectBuilder()
                .add(
                    "steps",
                    Json.createObjectBuilder()
                        .add("type", "array")
                        .add("items", Json.createObjectBuilder().add("anyOf", branches))
                        .add("minItems", MIN_STEPS)
                        .add("maxItems", ProposedStep.MAX_STEPS)))
        .add("required", Json.createArrayBuilder(List.of("steps")))
        .build();
  }

  /** A step that only this agent, with one of its own tools, can take. */
  private static JsonObject step(AgentProfile agent) {
    return object()
        .add(
            "properties",
            Json.createObjectBuilder()
                .add(
                    "description",
                    Json.createObjectBuilder().add("type", "string").add("minLength", 1))
                // const says it; the one-value enum says it again for grammar engines that know
                // enum but not const and would otherwise let any string through, which would
                // untie the tool from its agent. In llama.cpp const wins, to the same grammar.
                .add(
                    "agent",
                    Json.createObjectBuilder()
                        .add("type", "string")
                        .add("const", agent.name())
                        .add("enum", Json.createArrayBuilder().add(agent.name())))
                .add("tool", stringEnum(new LinkedHashSet<>(agent.tools())))
                .add(
                    "input",
                    Json.createObjectBuilder()
                        .add("type", "string")
                        .add("description", INPUT_DESCRIPTION)))
        .add("required", Json.createArrayBuilder(List.of("description", "agent", "tool", "input")))
        .build();
  }

  private static JsonObjectBuilder object() {
    return Json.createObjectBuilder().add("type", "object").add("additionalProperties", false);
  }

  private static JsonObjectBuilder stringEnum(Collection<String> values) {
    JsonArrayBuilder array = Json.createArrayBuilder();
    values.forEach(array::add);
    return Json.createObjectBuilder().add("type", "string").add("enum", array);
  }
}
