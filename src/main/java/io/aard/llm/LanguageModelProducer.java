package io.aard.llm;

import io.aard.llm.builtin.BuiltinLanguageModel;
import io.aard.llm.ollama.OllamaLanguageModel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Chooses the {@link LanguageModel} that {@code LLM_PROVIDER} names. */
@ApplicationScoped
public class LanguageModelProducer {

  /** The accepted values of {@code LLM_PROVIDER}. */
  public static final String ACCEPTED = "builtin, ollama";

  @Inject
  @ConfigProperty(name = "LLM_PROVIDER", defaultValue = "builtin")
  String provider;

  @Inject Instance<BuiltinLanguageModel> builtin;
  @Inject Instance<OllamaLanguageModel> ollama;

  @Produces
  LanguageModel languageModel() {
    return switch (normalise(provider)) {
      case "builtin" -> builtin.get();
      case "ollama" -> ollama.get();
      default -> throw new IllegalStateException(invalid(provider));
    };
  }

  /** The provider name as configured, trimmed and lower-cased. */
  static String normalise(String value) {
    return value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
  }

  /** Whether {@code value} names a provider; otherwise {@link #invalid} says why. */
  public static boolean isValid(String value) {
    String name = normalise(value);
    return name.equals("builtin") || name.equals("ollama");
  }

  /** The start-up message for a bad {@code LLM_PROVIDER}. */
  public static String invalid(String value) {
    return "LLM_PROVIDER='" + value + "' is not a provider; accepted: " + ACCEPTED;
  }
}
