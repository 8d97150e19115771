package io.aard.llm.ollama;

import io.aard.llm.AgentProfile;
import io.aard.llm.ProposedStep;
import io.aard.llm.StepReferences;
import io.aard.llm.TaskAnalysis;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads the model's answers, trusting none: an answer must be JSON, fit the schema it was asked for
 * and, for a plan, give each step a tool of its own agent and refer only to earlier steps. Anything
 * else is an {@link InvalidAnswer} that says what is wrong in words the model can act on.
 */
final class Answers {

  private static final int MAX_REPORTED_VIOLATIONS = 3;
  private static final int MAX_QUOTED_ANSWER = 200;

  private Answers() {}

  /**
   * The analysis in an answer.
   *
   * @param schema the analysis schema the model was asked to fit
   * @throws InvalidAnswer when the answer is not JSON or does not fit the schema
   */
  static TaskAnalysis analysis(String content, JsonObject schema) {
    JsonObject answer = fitting(content, schema, "analysis");
    return new TaskAnalysis(
        answer.getString("summary"),
        strings(answer.getJsonArray("capabilities")),
        answer.getString("complexity"));
  }

  /**
   * The steps of the plan in an answer.
   *
   * @param schema the plan schema the model was asked to fit
   * @param agents the agents the schema was made for
   * @throws InvalidAnswer when the answer is not JSON, does not fit the schema, gives a step a tool
   *     of another agent or refers to a step that is not before it
   */
  static List<ProposedStep> plan(String content, JsonObject schema, List<AgentProfile> agents) {
    return steps(fitting(content, schema, "plan"), agents);
  }

  private static JsonObject fitting(String content, JsonObject schema, String schemaName) {
    JsonValue answer;
    try (JsonReader reader = Json.createReader(new StringReader(content))) {
      answer = reader.readValue();
    } catch (JsonException e) {
      throw new InvalidAnswer(
          InvalidAnswer.NOT_JSON,
          "Ollama's answer is not JSON: " + quote(content),
          List.of("it is not JSON (" + e.getMessage() + ")"),
          e);
    }
    List<String> violations = SchemaValidator.validate(schema, answer);
    if (!violations.isEmpty()) {
      throw new InvalidAnswer(
          InvalidAnswer.SCHEMA_MISMATCH,
          "Ollama's answer does not fit the " + schemaName + " schema: " + summary(violations),
          violations,
          null);
    }
    return answer.asJsonObject();
  }

  private static List<ProposedStep> steps(JsonObject plan, List<AgentProfile> agents) {
    Map<String, List<String>> toolsByAgent =
        agents.stream()
            .collect(Collectors.toMap(AgentProfile::name, AgentProfile::tools, (a, b) -> a));
    List<ProposedStep> steps = new ArrayList<>();
    List<String> violations = new ArrayList<>();
    JsonArray array = plan.getJsonArray("steps");
    for (int i = 0; i < array.size(); i++) {
      JsonObject step = array.getJsonObject(i);
      String agent = step.getString("agent");
      String tool = step.getString("tool");
      if (!toolsByAgent.get(agent).contains(tool)) {
        violations.add(
            "$.steps["
                + i
                + "].tool: '"
                + tool
                + "' is not a tool of agent '"
                + agent
                + "', whose tools are "
                + toolsByAgent.get(agent));
      }
      steps.add(
          new ProposedStep(step.getString("description"), agent, tool, step.getString("input")));
    }
    if (!violations.isEmpty()) {
      throw new InvalidAnswer(
          InvalidAnswer.TOOL_MISMATCH,
          "Ollama's answer does not fit the plan schema: " + summary(violations),
          violations,
          null);
    }
    List<String> references =
        StepReferences.problems(steps.stream().map(ProposedStep::input).toList());
    if (!references.isEmpty()) {
      throw new InvalidAnswer(
          InvalidAnswer.BAD_STEP_REFERENCE,
          "Ollama's plan refers to outputs its steps cannot use: " + summary(references),
          references,
          null);
    }
    return List.copyOf(steps);
  }

  /** The first violations, for a message; the model is told all of them. */
  private static String summary(List<String> violations) {
    String first =
        violations.stream().limit(MAX_REPORTED_VIOLATIONS).collect(Collectors.joining("; "));
    if (violations.size() > MAX_REPORTED_VIOLATIONS) {
      first += "; and " + (violations.size() - MAX_REPORTED_VIOLATIONS) + " more";
    }
    return first;
  }

  private static List<String> strings(JsonArray array) {
    return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
  }

  private static String quote(String content) {
    String trimmed = content.strip();
    return trimmed.length() <= MAX_QUOTED_ANSWER
        ? "'" + trimmed + "'"
        : "'" + trimmed.substring(0, MAX_QUOTED_ANSWER) + "...'";
  }
}
