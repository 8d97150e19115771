package io.aard.config;

import io.aard.Settings;
import io.aard.db.EmbeddedSettings;
import io.aard.llm.LanguageModelProducer;
import io.aard.llm.ollama.OllamaSettings;
import io.aard.plan.ExecutionSettings;
import io.aard.security.ApiKeys;
import io.aard.tool.http.HttpGetTool;
import io.aard.tracequery.TraceReadSettings;
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
    TraceReadSettings.maxSpans(lookup);
    EmbeddedSettings.mode(lookup);
    checkOpenListener(lookup, ApiKeys.parse(lookup.apply(ApiKeys.CONFIG_KEY)).isEmpty());
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

  /** Set to {@code true}: AARD may listen beyond loopback without API keys. */
  static final String ALLOW_OPEN_KEY = "AARD_ALLOW_OPEN";

  /**
   * An open AARD (no keys) listens on loopback only: {@code HTTP_HOST} beyond it needs keys or
   * {@code AARD_ALLOW_OPEN=true}, so that nobody exposes an open API to a network by accident.
   */
  static void checkOpenListener(Function<String, String> lookup, boolean open) {
    String allow = lookup.apply(ALLOW_OPEN_KEY);
    if (allow != null
        && !allow.strip().equalsIgnoreCase("true")
        && !allow.strip().equalsIgnoreCase("false")) {
      throw new IllegalArgumentException(
          ALLOW_OPEN_KEY + "='" + allow + "' is not accepted: use true or false");
    }
    String host = lookup.apply("HTTP_HOST");
    if (!open
        || host == null
        || isLoopback(host)
        || (allow != null && "true".equalsIgnoreCase(allow.strip()))) {
      return;
    }
    throw new IllegalArgumentException(
        "HTTP_HOST='"
            + host
            + "' listens beyond loopback but "
            + ApiKeys.CONFIG_KEY
            + " is not set: set API keys, or "
            + ALLOW_OPEN_KEY
            + "=true to serve an open API on purpose");
  }

  private static boolean isLoopback(String host) {
    String h = host.strip().toLowerCase(java.util.Locale.ROOT);
    return h.equals("localhost")
        || h.startsWith("127.")
        || h.equals("::1")
        || h.equals("[::1]")
        || h.equals("0:0:0:0:0:0:0:1");
  }

  private static String orDefault(Function<String, String> lookup, String key, String fallback) {
    String value = lookup.apply(key);
    return value == null ? fallback : value;
  }
}
