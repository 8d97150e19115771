package io.aard.llm.ollama;

import io.aard.llm.AgentProfile;
import io.aard.llm.GenerationSpan;
import io.aard.llm.LanguageModel;
import io.aard.llm.LanguageModelException;
import io.aard.llm.LanguageModelException.Kind;
import io.aard.llm.ProposedStep;
import io.aard.llm.TaskAnalysis;
import io.opentelemetry.api.trace.Tracer;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code ollama} provider: asks a model on an Ollama server, with a JSON schema as {@code
 * format} wherever AARD parses the answer, and checks every answer against that schema before
 * trusting it. Each call is one {@code ollama.generate} span.
 *
 * <p>Typed to its class only: a producer elsewhere chooses which provider is the {@link
 * LanguageModel}.
 */
@ApplicationScoped
@Typed(OllamaLanguageModel.class)
public class OllamaLanguageModel implements LanguageModel {

  /** The value of {@code gen_ai.provider.name}. */
  public static final String PROVIDER = "ollama";

  private static final String OPERATION = "chat";
  private static final int MAX_REPORTED_VIOLATIONS = 3;
  private static final int MAX_QUOTED_ANSWER = 200;

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

  @Inject OllamaSettings settings;

  @Inject Tracer tracer;

  private OllamaSettings.Values values;
  private OllamaChat chat;
  private OllamaClient client;

  /** For CDI. */
  protected OllamaLanguageModel() {}

  /** For tests: talks through {@code chat} instead of HTTP. */
  OllamaLanguageModel(OllamaSettings.Values values, Tracer tracer, OllamaChat chat) {
    this.values = values;
    this.tracer = tracer;
    this.chat = chat;
  }

  @PostConstruct
  void open() {
    values = settings.values();
    client = new OllamaClient(values.baseUrl(), values.timeout());
    chat = client;
  }

  @PreDestroy
  void close() {
    if (client != null) {
      client.close();
    }
  }

  @Override
  public String provider() {
    return PROVIDER;
  }

  @Override
  public String model() {
    return values.model();
  }

  @Override
  public TaskAnalysis analyze(String taskDescription) {
    JsonObject schema = JsonSchemas.analysis();
    return generate(
        "analyze",
        ANALYZE_SYSTEM,
        taskDescription,
        schema,
        content -> {
          JsonObject answer = fitting(content, schema, "analysis");
          return new TaskAnalysis(
              answer.getString("summary"),
              strings(answer.getJsonArray("capabilities")),
              answer.getString("complexity"));
        });
  }

  @Override
  public List<ProposedStep> decompose(
      String taskDescription, TaskAnalysis analysis, List<AgentProfile> agents) {
    JsonObject schema = JsonSchemas.decomposition(agents);
    return generate(
        "decompose",
        decomposeSystem(agents),
        decomposeUser(taskDescription, analysis),
        schema,
        content -> steps(fitting(content, schema, "plan"), agents));
  }

  @Override
  public String complete(String prompt, String context) {
    String system =
        context == null || context.isEmpty() ? COMPLETE_SYSTEM : COMPLETE_SYSTEM + "\n\n" + context;
    return generate("complete", system, prompt, null, Function.identity());
  }

  /** One traced call: the span fails with whatever fails, including an answer out of shape. */
  private <T> T generate(
      String purpose, String system, String user, JsonObject format, Function<String, T> read) {
    try (GenerationSpan span =
        GenerationSpan.start(
            tracer,
            PROVIDER,
            OPERATION,
            purpose,
            values.model(),
            values.serverAddress(),
            values.serverPort())) {
      try {
        ChatResponse response = chat.chat(values.model(), system, user, format);
        span.response(response.model(), response.promptEvalCount(), response.evalCount());
        if (values.captureContent()) {
          span.content(inputMessages(system, user), outputMessages(response.content()));
        }
        return read.apply(response.content());
      } catch (RuntimeException e) {
        span.fail(e);
        throw e;
      }
    }
  }

  private static JsonObject fitting(String content, JsonObject schema, String schemaName) {
    JsonValue answer;
    try (JsonReader reader = Json.createReader(new StringReader(content))) {
      answer = reader.readValue();
    } catch (JsonException e) {
      throw new LanguageModelException(
          Kind.INVALID_RESPONSE, "Ollama's answer is not JSON: " + quote(content), e);
    }
    List<String> violations = SchemaValidator.validate(schema, answer);
    if (!violations.isEmpty()) {
      throw doesNotFit(schemaName, violations);
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
      throw doesNotFit("plan", violations);
    }
    return List.copyOf(steps);
  }

  private static LanguageModelException doesNotFit(String schemaName, List<String> violations) {
    String first =
        violations.stream().limit(MAX_REPORTED_VIOLATIONS).collect(Collectors.joining("; "));
    if (violations.size() > MAX_REPORTED_VIOLATIONS) {
      first += "; and " + (violations.size() - MAX_REPORTED_VIOLATIONS) + " more";
    }
    return new LanguageModelException(
        Kind.INVALID_RESPONSE,
        "Ollama's answer does not fit the " + schemaName + " schema: " + first);
  }

  private static String decomposeSystem(List<AgentProfile> agents) {
    StringBuilder prompt =
        new StringBuilder(
            "You plan tasks for AARD, a platform whose agents solve a task step by step.\n"
                + "Break the user's task into ordered steps, as few as the task needs"
                + " (at most "
                + JsonSchemas.MAX_STEPS
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
    prompt.append(
        "\nAnswer with one JSON object {\"steps\": [{\"description\", \"agent\", \"tool\","
            + " \"input\"}]} and nothing else.");
    return prompt.toString();
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

  /** The GenAI semantic conventions' shape of {@code gen_ai.input.messages}. */
  private static String inputMessages(String system, String user) {
    return Json.createArrayBuilder()
        .add(message("system", system))
        .add(message("user", user))
        .build()
        .toString();
  }

  /** The GenAI semantic conventions' shape of {@code gen_ai.output.messages}. */
  private static String outputMessages(String content) {
    return Json.createArrayBuilder().add(message("assistant", content)).build().toString();
  }

  private static JsonObject message(String role, String content) {
    JsonArrayBuilder parts =
        Json.createArrayBuilder()
            .add(Json.createObjectBuilder().add("type", "text").add("content", content));
    return Json.createObjectBuilder().add("role", role).add("parts", parts).build();
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
