package io.aard.llm.builtin;

import io.aard.llm.AgentProfile;
import io.aard.llm.GenerationSpan;
import io.aard.llm.LanguageModel;
import io.aard.llm.ProposedStep;
import io.aard.llm.Provider;
import io.aard.llm.TaskAnalysis;
import io.aard.tracing.GenAi;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@code builtin} provider: {@link BuiltinRules} behind the {@link LanguageModel} port, each
 * call traced as a {@code builtin.generate} span like a real model's. Qualified {@link Provider},
 * so that only the provider producer, which reads {@code LLM_PROVIDER}, offers an unqualified
 * {@code LanguageModel}.
 */
@ApplicationScoped
@Provider(Provider.BUILTIN)
public class BuiltinLanguageModel implements LanguageModel {

  /** The value of {@code gen_ai.provider.name}. */
  public static final String PROVIDER = Provider.BUILTIN;

  /** The value of {@code gen_ai.request.model} and {@code gen_ai.response.model}. */
  public static final String MODEL = "builtin-rules-1";

  private static final String OPERATION = GenAi.CHAT;

  private final BuiltinRules rules = new BuiltinRules();

  @Inject Tracer tracer;

  @Inject
  @ConfigProperty(name = "TRACING_CAPTURE_CONTENT", defaultValue = "false")
  boolean captureContent;

  @Override
  public String provider() {
    return PROVIDER;
  }

  @Override
  public String model() {
    return MODEL;
  }

  @Override
  public TaskAnalysis analyze(String taskDescription) {
    return generate(
        "analyze",
        taskDescription,
        () -> rules.analyze(taskDescription),
        BuiltinLanguageModel::toJson);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The agents only check the rules' choices: a step goes to another agent, or becomes an {@code
   * llm} step, when the agent the rules chose is not among them or lacks the tool.
   */
  @Override
  public List<ProposedStep> decompose(
      String taskDescription, TaskAnalysis analysis, List<AgentProfile> agents) {
    return generate(
        "decompose",
        taskDescription,
        () -> rules.decompose(taskDescription, analysis, agents),
        BuiltinLanguageModel::toJson);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The rules restate the prompt only; the context counts towards the input tokens, as it would
   * for a real model. A prompt that refers to earlier steps ({@code {{steps.N.output}}}) has their
   * outputs in it by now, so the restatement carries them.
   */
  @Override
  public String complete(String prompt, String context) {
    String input = context == null || context.isEmpty() ? prompt : context + "\n\n" + prompt;
    return generate("complete", input, () -> rules.complete(prompt), Function.identity());
  }

  private <T> T generate(
      String purpose, String input, Supplier<T> call, Function<T, String> rendering) {
    try (GenerationSpan span =
        GenerationSpan.start(tracer, PROVIDER, OPERATION, purpose, MODEL, null, -1)) {
      try {
        T result = call.get();
        String output = rendering.apply(result);
        span.response(MODEL, Tokens.count(input), Tokens.count(output));
        if (captureContent) {
          span.content(messages("user", input, null), messages("assistant", output, "stop"));
        }
        return result;
      } catch (RuntimeException e) {
        span.fail(e);
        throw e;
      }
    }
  }

  /** One message in the GenAI semantic conventions' shape, as a JSON array. */
  private static String messages(String role, String text, String finishReason) {
    JsonObjectBuilder message =
        Json.createObjectBuilder()
            .add("role", role)
            .add(
                "parts",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder()
                            .add("type", "text")
                            .add("content", text == null ? "" : text)));
    if (finishReason != null) {
      message.add("finish_reason", finishReason);
    }
    return Json.createArrayBuilder().add(message).build().toString();
  }

  private static String toJson(TaskAnalysis analysis) {
    return Json.createObjectBuilder()
        .add("summary", analysis.summary())
        .add("capabilities", Json.createArrayBuilder(analysis.capabilities()))
        .add("complexity", analysis.complexity())
        .build()
        .toString();
  }

  private static String toJson(List<ProposedStep> steps) {
    JsonArrayBuilder array = Json.createArrayBuilder();
    for (ProposedStep step : steps) {
      array.add(
          Json.createObjectBuilder()
              .add("description", step.description())
              .add("agent", step.agent())
              .add("tool", step.tool())
              .add("input", step.input()));
    }
    return Json.createObjectBuilder().add("steps", array).build().toString();
  }
}
