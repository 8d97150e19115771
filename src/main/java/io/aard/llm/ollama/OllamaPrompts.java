package io.aard.llm.ollama;

import io.aard.llm.AgentProfile;
import io.aard.llm.ProposedStep;
import io.aard.llm.StepReferences;
import io.aard.llm.TaskAnalysis;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What AARD says to the model: the conversation that opens each kind of call, and the message that
 * sends a rejected answer back. The analysis prompt names the {@link io.aard.llm.Capability} and
 * {@link io.aard.llm.Complexity} wire names in prose; a test keeps it in step with them.
 */
final class OllamaPrompts {

  private static final int MAX_REASKED_VIOLATIONS = 10;

  /** How each tool reads its input, so that the model writes inputs the tools accept. */
  private static final Map<String, String> TOOL_INPUTS =
      Map.of(
          "calculator",
          "an arithmetic expression, e.g. (12.5 + 7) * 3",
          "text",
          "'<op>: <text>' with op one of word_count, char_count, sentence_count, uppercase,"
              + " lowercase, reverse, extract_numbers, e.g. word_count: the quick brown fox",
          "http_get",
          "a URL, e.g. https://example.com/",
          "llm",
          "a prompt for a language model, e.g. Write a haiku about autumn");

  private static final String ANALYZE_SYSTEM =
      """
      You analyse tasks for AARD, a platform whose agents solve a task step by step with tools.
      Read the user's task and answer with one JSON object:
      - summary: one sentence restating the task;
      - capabilities: what solving it needs, any of arithmetic (calculations), text (counting or
        transforming text), web (fetching a web page), writing (composing prose);
      - complexity: low, medium or high.
      Answer with the JSON object only.\
      """;

  private static final String COMPLETE_SYSTEM =
      "You are a helpful assistant inside AARD, an agent platform. Answer the prompt directly and"
          + " concisely.";

  private OllamaPrompts() {}

  /** A system message that says how to analyse, then the task. */
  static List<ChatMessage> analyze(String taskDescription) {
    return List.of(ChatMessage.system(ANALYZE_SYSTEM), ChatMessage.user(taskDescription));
  }

  /** A system message that presents the agents and their tools, then the task and its analysis. */
  static List<ChatMessage> decompose(
      String taskDescription, TaskAnalysis analysis, List<AgentProfile> agents) {
    return List.of(
        ChatMessage.system(decomposeSystem(agents)),
        ChatMessage.user(decomposeUser(taskDescription, analysis)));
  }

  /** A system message with the context, if there is any, then the prompt. */
  static List<ChatMessage> complete(String prompt, String context) {
    String system =
        context == null || context.isEmpty() ? COMPLETE_SYSTEM : COMPLETE_SYSTEM + "\n\n" + context;
    return List.of(ChatMessage.system(system), ChatMessage.user(prompt));
  }

  /** What AARD answers to a rejected answer: what is wrong with it, and to answer again. */
  static String reask(List<String> violations) {
    String listed =
        violations.stream().limit(MAX_REASKED_VIOLATIONS).collect(Collectors.joining("; "));
    if (violations.size() > MAX_REASKED_VIOLATIONS) {
      listed += "; and " + (violations.size() - MAX_REASKED_VIOLATIONS) + " more";
    }
    return "Your answer was rejected: "
        + listed
        + ". Answer again with one JSON object that fits the schema.";
  }

  private static String decomposeSystem(List<AgentProfile> agents) {
    StringBuilder prompt =
        new StringBuilder(
            "You plan tasks for AARD, a platform whose agents solve a task step by step.\n"
                + "Break the user's task into ordered steps, as few as the task needs"
                + " (at most "
                + ProposedStep.MAX_STEPS
                + "). Each step names one agent, one of that agent's own tools, and the"
                + " tool's input.\n\nAgents:\n");
    for (AgentProfile agent : agents) {
      prompt
          .append("- ")
          .append(agent.name())
          .append(": ")
          .append(agent.description())
          .append(" Tools: ")
          .append(String.join(", ", agent.tools()))
          .append(".\n");
    }
    prompt.append("\nTool inputs:\n");
    agents.stream()
        .flatMap(agent -> agent.tools().stream())
        .distinct()
        .sorted()
        .forEach(
            tool ->
                prompt
                    .append("- ")
                    .append(tool)
                    .append(" takes ")
                    .append(TOOL_INPUTS.getOrDefault(tool, "free text"))
                    .append('\n'));
    prompt
        .append("\nA step's input may use the output of an earlier step: write ")
        .append(StepReferences.SYNTAX)
        .append(
            ", with N the earlier step's number counting from 0, and it is replaced by that"
                + " output before the step runs. A step may use only the steps before it.\n");
    referenceExample(agents)
        .ifPresent(
            example ->
                prompt
                    .append("For example, a plan that multiplies 17 by 23 and then writes about")
                    .append(" the product:\n")
                    .append(example)
                    .append('\n'));
    prompt.append(
        "\nAnswer with one JSON object {\"steps\": [{\"description\", \"agent\", \"tool\","
            + " \"input\"}]} and nothing else.");
    return prompt.toString();
  }

  /**
   * A two-step plan whose second step uses the first one's output, one step a line, with the given
   * agents' own names so that a model copying it proposes agents that exist; empty when no agent
   * has a calculator or none has an {@code llm} tool.
   */
  private static Optional<String> referenceExample(List<AgentProfile> agents) {
    Optional<String> calculating = agentWith(agents, "calculator");
    Optional<String> writing = agentWith(agents, "llm");
    if (calculating.isEmpty() || writing.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "{\"steps\": [\n  "
            + exampleStep("Multiply 17 by 23", calculating.get(), "calculator", "17 * 23")
            + ",\n  "
            + exampleStep(
                "Write about the product",
                writing.get(),
                "llm",
                "Write one sentence about the result " + StepReferences.to(0))
            + "\n]}");
  }

  private static Optional<String> agentWith(List<AgentProfile> agents, String tool) {
    return agents.stream()
        .filter(a -> a.tools().contains(tool))
        .map(AgentProfile::name)
        .findFirst();
  }

  private static JsonObject exampleStep(
      String description, String agent, String tool, String input) {
    return Json.createObjectBuilder()
        .add("description", description)
        .add("agent", agent)
        .add("tool", tool)
        .add("input", input)
        .build();
  }

  private static String decomposeUser(String taskDescription, TaskAnalysis analysis) {
    return "Task: "
        + taskDescription
        + "\n\nAnalysis: "
        + analysis.summary()
        + "\nCapabilities needed: "
        + (analysis.capabilities().isEmpty() ? "none" : String.join(", ", analysis.capabilities()))
        + "\nComplexity: "
        + analysis.complexity();
  }
}
