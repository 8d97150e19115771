package io.aard.llm;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Chooses the {@link LanguageModel} that {@code LLM_PROVIDER} names, among the beans qualified
 * {@link Provider}: the provider packages depend on this one, never the other way round.
 */
@ApplicationScoped
public class LanguageModelProducer {

  /** The accepted values of {@code LLM_PROVIDER}. */
  public static final String ACCEPTED = Provider.BUILTIN + ", " + Provider.OLLAMA;

  private static final List<String> PROVIDERS = List.of(Provider.BUILTIN, Provider.OLLAMA);

  @Inject
  @ConfigProperty(name = "LLM_PROVIDER", defaultValue = "builtin")
  String provider;

  @Inject @Any Instance<LanguageModel> providers;

  @Produces
  LanguageModel languageModel() {
    String name = normalise(provider);
    if (!PROVIDERS.contains(name)) {
      throw new IllegalStateException(invalid(provider));
    }
    return providers.select(Provider.Literal.of(name)).get();
  }

  /** The provider name as configured, trimmed and lower-cased. */
  static String normalise(String value) {
    return value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
  }

  /** Whether {@code value} names a provider; otherwise {@link #invalid} says why. */
  public static boolean isValid(String value) {
    return PROVIDERS.contains(normalise(value));
  }

  /** The start-up message for a bad {@code LLM_PROVIDER}. */
  public static String invalid(String value) {
    return "LLM_PROVIDER='" + value + "' is not a provider; accepted: " + ACCEPTED;
  }
}
