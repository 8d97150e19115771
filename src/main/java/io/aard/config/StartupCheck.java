package io.aard.config;

import io.aard.Settings;
import io.aard.db.EmbeddedSettings;
import io.aard.llm.LanguageModelProducer;
import io.aard.llm.ollama.OllamaSettings;
import io.aard.plan.ExecutionSettings;
import io.aard.security.ApiKeys;
import io.aard.tool.http.HttpGetTool;
import io.aard.tracing.TracingSettings;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Checks every setting before anything else starts. A bad value stops the application with one log
 * line that names the key, the value and what is accepted.
 */
@ApplicationScoped
public class StartupCheck {

  private static final Logger LOG = Logger.getLogger(StartupCheck.class.getName());

  void check(@Observes @Priority(1) @Initialized(ApplicationScoped.class) Object ignored) {
    try {
      DotEnvConfigSource.failure()
          .ifPresent(
              f -> {
                throw new IllegalArgumentException(f);
              });
      validate(Settings.lookup());
    } catch (IllegalArgumentException e) {
      LOG.severe("AARD cannot start: " + e.getMessage());
      throw e;
    }
  }

  /** Checks the settings read through {@code lookup}; pure, for unit tests. */
  static void validate(Function<String, String> lookup) {
    String provider = lookup.apply("LLM_PROVIDER");
    if (provider != null && !LanguageModelProducer.isValid(provider)) {
      throw new IllegalArgumentException(LanguageModelProducer.invalid(provider));
    }
    TracingSettings.read(lookup);
    EmbeddedSettings.mode(lookup);
    ApiKeys.parse(lookup.apply(ApiKeys.CONFIG_KEY));
    HttpGetTool.checkSettings(lookup);
    ExecutionSettings.stepTimeout(lookup);
    OllamaSettings.validate(
        orDefault(lookup, OllamaSettings.BASE_URL_KEY, OllamaSettings.DEFAULT_BASE_URL),
        orDefault(lookup, OllamaSettings.MODEL_KEY, OllamaSettings.DEFAULT_MODEL),
        orDefault(
            lookup,
            OllamaSettings.TIMEOUT_KEY,
            Integer.toString(OllamaSettings.DEFAULT_TIMEOUT_SECONDS)),
        orDefault(
            lookup,
            OllamaSettings.CAPTURE_CONTENT_KEY,
            Boolean.toString(OllamaSettings.DEFAULT_CAPTURE_CONTENT)),
        orDefault(
            lookup,
            OllamaSettings.ANSWER_ATTEMPTS_KEY,
            Integer.toString(OllamaSettings.DEFAULT_ANSWER_ATTEMPTS)),
        orDefault(
            lookup,
            OllamaSettings.REQUEST_ATTEMPTS_KEY,
            Integer.toString(OllamaSettings.DEFAULT_REQUEST_ATTEMPTS)));
  }

  private static String orDefault(Function<String, String> lookup, String key, String fallback) {
    String value = lookup.apply(key);
    return value == null ? fallback : value;
  }
}
