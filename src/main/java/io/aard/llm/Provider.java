package io.aard.llm;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.enterprise.util.AnnotationLiteral;
import jakarta.inject.Qualifier;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Names the provider a {@link LanguageModel} bean implements, as {@code LLM_PROVIDER} names it.
 * {@link LanguageModelProducer} selects by this qualifier, so that this package need not know the
 * provider packages, which depend on it. A provider bean carries it and so is not a {@code Default}
 * {@code LanguageModel}: the produced one is the only one an unqualified injection point gets.
 */
@Qualifier
@Documented
@Retention(RUNTIME)
@Target({TYPE, FIELD, METHOD, PARAMETER})
public @interface Provider {

  /** The rule-based provider, which needs no model server. */
  String BUILTIN = "builtin";

  /** The provider that asks a model on an Ollama server. */
  String OLLAMA = "ollama";

  /** The provider's name: {@link #BUILTIN} or {@link #OLLAMA}. */
  String value();

  /** An instance of the qualifier, for selecting a provider bean at run time. */
  final class Literal extends AnnotationLiteral<Provider> implements Provider {

    private static final long serialVersionUID = 1L;

    private final String value;

    private Literal(String value) {
      this.value = value;
    }

    /** The qualifier {@code @Provider(name)}. */
    public static Literal of(String name) {
      return new Literal(name);
    }

    @Override
    public String value() {
      return value;
    }
  }
}
