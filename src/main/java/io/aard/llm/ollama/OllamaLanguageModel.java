package io.aard.llm.ollama;

import io.aard.llm.AgentProfile;
import io.aard.llm.GenerationSpan;
import io.aard.llm.LanguageModel;
import io.aard.llm.LanguageModelException;
import io.aard.llm.LanguageModelException.Kind;
import io.aard.llm.ProposedStep;
import io.aard.llm.StepReferences;
import io.aard.llm.TaskAnalysis;
import io.opentelemetry.api.trace.Tracer;
import jakarta.annotation.PostConstruct;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * The {@code ollama} provider: asks a model on an Ollama server, with a JSON schema as {@code
 * format} wherever AARD parses the answer, and checks every answer against that schema before
 * trusting it. An answer it cannot use is sent back to the model with what is wrong, and a
 * transient failure is retried after a backoff, within the settings' bounds and the call's
 * deadline; each attempt is one {@code ollama.generate} span.
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
  private static final Logger LOG = Logger.getLogger(OllamaLanguageModel.class.getName());
  private static final int MAX_REPORTED_VIOLATIONS = 3;
  private static final int MAX_REASKED_VIOLATIONS = 10;
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
  private Timing timing;

  /** For CDI. */
  protected OllamaLanguageModel() {}

  /**
   * For tests: talks through {@code chat} instead of HTTP, and waits and tells time by {@code
   * timing}.
   */
  OllamaLanguageModel(OllamaSettings.Values values, Tracer tracer, OllamaChat chat, Timing timing) {
    this.values = values;
    this.tracer = tracer;
    this.chat = chat;
    this.timing = timing;
  }

  @PostConstruct
  void open() {
    values = settings.values();
    chat = new OllamaClient(values.baseUrl());
    timing = Timing.SYSTEM;
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
        List.of(ChatMessage.system(ANALYZE_SYSTEM), ChatMessage.user(taskDescription)),
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
        List.of(
            ChatMessage.system(decomposeSystem(agents)),
            ChatMessage.user(decomposeUser(taskDescription, analysis))),
        schema,
        content -> steps(fitting(content, schema, "plan"), agents));
  }

  @Override
  public String complete(String prompt, String context) {
    String system =
        context == null || context.isEmpty() ? COMPLETE_SYSTEM : COMPLETE_SYSTEM + "\n\n" + context;
    return generate(
        "complete",
        List.of(ChatMessage.system(system), ChatMessage.user(prompt)),
        null,
        Function.identity());
  }

  /**
   * One call, in as many attempts as it takes and its settings allow, each one {@code
   * ollama.generate} span: a transient failure sends the same conversation again after a backoff; a
   * rejected answer ({@link InvalidAnswer}) is sent back to the model with what is wrong. Every
   * attempt ends by the call's deadline.
   *
   * @param read turns the answer into the result, or throws {@link InvalidAnswer}
   * @throws LanguageModelException the last attempt's failure, its message saying how many attempts
   *     were made; {@link Kind#UNAVAILABLE} when the thread is interrupted between attempts, which
   *     is how a cancelled plan stops waiting
   */
  private <T> T generate(
      String purpose, List<ChatMessage> prompt, JsonObject format, Function<String, T> read) {
    long deadline = timing.nanoTime() + values.timeout().toNanos();
    List<ChatMessage> conversation = new ArrayList<>(prompt);
    int attempt = 0;
    int answers = 0;
    int requests = 0;
    while (true) {
      attempt++;
      requests++;
      Outcome<T> outcome = attempt(purpose, attempt, conversation, format, left(deadline), read);
      if (outcome instanceof Accepted<T> accepted) {
        return accepted.value();
      }
      if (outcome instanceof Rejected<T> rejected) {
        answers++;
        InvalidAnswer problem = rejected.problem();
        if (answers >= values.answerAttempts() || left(deadline).compareTo(Duration.ZERO) <= 0) {
          throw gaveUp(problem, attempt);
        }
        pause(Duration.ZERO, problem, attempt);
        LOG.fine(() -> "Asking Ollama again after a rejected answer: " + problem.getMessage());
        conversation.add(ChatMessage.assistant(rejected.answer()));
        conversation.add(ChatMessage.user(reask(problem.violations())));
        requests = 0;
        continue;
      }
      LanguageModelException error = ((Failed<T>) outcome).error();
      if (!(error instanceof ChatFailure failure)
          || !failure.isTransient()
          || requests >= values.requestAttempts()) {
        throw gaveUp(error, attempt);
      }
      Duration wait = Backoff.delay(requests, failure.retryAfter(), timing.random());
      if (wait.compareTo(left(deadline)) >= 0) {
        throw gaveUp(error, attempt);
      }
      LOG.fine(
          () -> "Sending to Ollama again in " + wait.toMillis() + " ms: " + error.getMessage());
      pause(wait, error, attempt);
    }
  }

  /** One request, and the reading of its answer, in its own span. */
  private <T> Outcome<T> attempt(
      String purpose,
      int attempt,
      List<ChatMessage> conversation,
      JsonObject format,
      Duration timeout,
      Function<String, T> read) {
    try (GenerationSpan span =
        GenerationSpan.start(
            tracer,
            PROVIDER,
            OPERATION,
            purpose,
            values.model(),
            values.serverAddress(),
            values.serverPort())) {
      span.attempt(attempt);
      try {
        return exchange(span, conversation, format, timeout, read);
      } catch (RuntimeException e) {
        // A bug rather than a failure of Ollama's: not retried, but its span says so.
        span.fail(e, e.getClass().getName());
        throw e;
      }
    }
  }

  private <T> Outcome<T> exchange(
      GenerationSpan span,
      List<ChatMessage> conversation,
      JsonObject format,
      Duration timeout,
      Function<String, T> read) {
    ChatResponse response;
    try {
      response = chat.chat(values.model(), List.copyOf(conversation), format, timeout);
    } catch (LanguageModelException e) {
      span.fail(e, errorType(e));
      return new Failed<>(e);
    }
    span.response(response.model(), response.promptEvalCount(), response.evalCount());
    if (values.captureContent()) {
      span.content(inputMessages(conversation), outputMessages(response.content()));
    }
    try {
      return new Accepted<>(read.apply(response.content()));
    } catch (InvalidAnswer e) {
      span.fail(e, e.errorType());
      return new Rejected<>(response.content(), e);
    }
  }

  private sealed interface Outcome<T> permits Accepted, Rejected, Failed {}

  private record Accepted<T>(T value) implements Outcome<T> {}

  /** The model answered, verbatim, but the answer cannot be used. */
  private record Rejected<T>(String answer, InvalidAnswer problem) implements Outcome<T> {}

  /** There is no answer. */
  private record Failed<T>(LanguageModelException error) implements Outcome<T> {}

  private static String errorType(LanguageModelException e) {
    return e instanceof ChatFailure failure
        ? failure.errorType()
        : e.kind().name().toLowerCase(Locale.ROOT);
  }

  private Duration left(long deadline) {
    return Duration.ofNanos(deadline - timing.nanoTime());
  }

  /** Waits before the next attempt, unless the thread was interrupted: then it stops at once. */
  private void pause(Duration wait, LanguageModelException last, int attempts) {
    try {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException();
      }
      if (!wait.isZero()) {
        timing.sleep(wait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      var interrupted =
          new LanguageModelException(
              Kind.UNAVAILABLE,
              "Stopped asking Ollama when interrupted, after "
                  + attempts
                  + (attempts == 1 ? " attempt" : " attempts")
                  + "; the last one failed: "
                  + last.getMessage(),
              e);
      interrupted.addSuppressed(last);
      throw interrupted;
    }
  }

  /** The last failure; after more than one attempt, with how many were made. */
  private static LanguageModelException gaveUp(LanguageModelException last, int attempts) {
    if (attempts == 1) {
      return last;
    }
    return new LanguageModelException(
        last.kind(), last.getMessage() + " (after " + attempts + " attempts)", last);
  }

  private static String reask(List<String> violations) {
    String listed =
        violations.stream().limit(MAX_REASKED_VIOLATIONS).collect(Collectors.joining("; "));
    if (violations.size() > MAX_REASKED_VIOLATIONS) {
      listed += "; and " + (violations.size() - MAX_REASKED_VIOLATIONS) + " more";
    }
    return "Your answer was rejected: "
        + listed
        + ". Answer again with one JSON object that fits the schema.";
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

  /** The GenAI semantic conventions' shape of {@code gen_ai.input.messages}. */
  private static String inputMessages(List<ChatMessage> conversation) {
    JsonArrayBuilder messages = Json.createArrayBuilder();
    conversation.forEach(m -> messages.add(message(m.role(), m.content())));
    return messages.build().toString();
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
