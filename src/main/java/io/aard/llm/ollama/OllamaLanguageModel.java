package io.aard.llm.ollama;

import io.aard.llm.AgentProfile;
import io.aard.llm.LanguageModel;
import io.aard.llm.ProposedStep;
import io.aard.llm.Provider;
import io.aard.llm.TaskAnalysis;
import io.opentelemetry.api.trace.Tracer;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/**
 * The {@code ollama} provider: asks a model on an Ollama server ({@link OllamaPrompts}), with a
 * JSON schema as {@code format} wherever AARD parses the answer ({@link JsonSchemas}), and checks
 * every answer against that schema before trusting it ({@link Answers}). An answer it cannot use is
 * sent back to the model with what is wrong, and a transient failure is retried after a backoff,
 * within the settings' bounds and the call's deadline ({@link Attempts}); each attempt is one
 * {@code ollama.generate} span.
 *
 * <p>Qualified {@link Provider}: a producer elsewhere chooses which provider is the unqualified
 * {@link LanguageModel}.
 */
@ApplicationScoped
@Provider(Provider.OLLAMA)
public class OllamaLanguageModel implements LanguageModel {

  /** The value of {@code gen_ai.provider.name}. */
  public static final String PROVIDER = Provider.OLLAMA;

  @Inject OllamaSettings settings;

  @Inject Tracer tracer;

  private OllamaSettings.Values values;
  private Attempts attempts;

  /** For CDI. */
  protected OllamaLanguageModel() {}

  /**
   * For tests: talks through {@code chat} instead of HTTP, and waits and tells time by {@code
   * timing}.
   */
  OllamaLanguageModel(OllamaSettings.Values values, Tracer tracer, OllamaChat chat, Timing timing) {
    this.values = values;
    this.tracer = tracer;
    this.attempts = new Attempts(values, tracer, chat, timing);
  }

  @PostConstruct
  void open() {
    values = settings.values();
    attempts = new Attempts(values, tracer, new OllamaClient(values.baseUrl()), Timing.SYSTEM);
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
    return attempts.call(
        "analyze",
        OllamaPrompts.analyze(taskDescription),
        schema,
        content -> Answers.analysis(content, schema));
  }

  @Override
  public List<ProposedStep> decompose(
      String taskDescription, TaskAnalysis analysis, List<AgentProfile> agents) {
    JsonObject schema = JsonSchemas.decomposition(agents);
    return attempts.call(
        "decompose",
        OllamaPrompts.decompose(taskDescription, analysis, agents),
        schema,
        content -> Answers.plan(content, schema, agents));
  }

  @Override
  public String complete(String prompt, String context) {
    return attempts.call(
        "complete", OllamaPrompts.complete(prompt, context), null, Function.identity());
  }
}
