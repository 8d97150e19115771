package io.aard.llm.ollama;

import io.aard.llm.AgentProfile;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JSON schemas AARD hands to Ollama as {@code format}, so that the model can only answer in the
 * shape the planner parses. {@link SchemaValidator} understands every keyword used here.
 */
public final class JsonSchemas {

  /** What a task may need, as the analysis names it. */
  public static final List<String> CAPABILITIES = List.of("arithmetic", "text", "web", "writing");

  /** How hard a task is, as the analysis names it. */
  public static final List<String> COMPLEXITIES = List.of("low", "medium", "high");

  /** A plan has at least this many steps. */
  public static final int MIN_STEPS = 1;

  /** A plan has at most this many steps. */
  public static final int MAX_STEPS = 20;

  private JsonSchemas() {}

  /**
   * The schema of a task analysis: {@code summary} (string), {@code capabilities} (array of {@link
   * #CAPABILITIES}) and {@code complexity} (one of {@link #COMPLEXITIES}), all required.
   */
  public static JsonObject analysis() {
    return object()
        .add(
            "properties",
            Json.createObjectBuilder()
                .add("summary", Json.createObjectBuilder().add("type", "string"))
                .add(
                    "capabilities",
                    Json.createObjectBuilder()
                        .add("type", "array")
                        .add("items", stringEnum(CAPABILITIES)))
                .add("complexity", stringEnum(COMPLEXITIES)))
        .add("required", Json.createArrayBuilder(List.of("summary", "capabilities", "complexity")))
        .build();
  }

  /**
   * The schema of a plan: {@code steps}, an array of {@link #MIN_STEPS} to {@link #MAX_STEPS}
   * objects with {@code description} (non-empty string), {@code agent} (one of the agents' names),
   * {@code tool} (one of the tools of any of the agents) and {@code input} (string).
   *
   * <p>A schema cannot say that a step's tool must belong to its agent; the caller checks that.
   *
   * @throws IllegalArgumentException when there is no agent or no agent has a tool
   */
  public static JsonObject decomposition(List<AgentProfile> agents) {
    Set<String> agentNames = new LinkedHashSet<>();
    Set<String> toolNames = new TreeSet<>();
    for (AgentProfile agent : agents) {
      agentNames.add(agent.name());
      toolNames.addAll(agent.tools());
    }
    if (agentNames.isEmpty() || toolNames.isEmpty()) {
      throw new IllegalArgumentException(
          "a plan schema needs at least one agent with a tool, got " + agents);
    }
    JsonObject step =
        object()
            .add(
                "properties",
                Json.createObjectBuilder()
                    .add(
                        "description",
                        Json.createObjectBuilder().add("type", "string").add("minLength", 1))
                    .add("agent", stringEnum(agentNames))
                    .add("tool", stringEnum(toolNames))
                    .add("input", Json.createObjectBuilder().add("type", "string")))
            .add(
                "required",
                Json.createArrayBuilder(List.of("description", "agent", "tool", "input")))
            .build();
    return object()
        .add(
            "properties",
            Json.createObjectBuilder()
                .add(
                    "steps",
                    Json.createObjectBuilder()
                        .add("type", "array")
                        .add("items", step)
                        .add("minItems", MIN_STEPS)
                        .add("maxItems", MAX_STEPS)))
        .add("required", Json.createArrayBuilder(List.of("steps")))
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
