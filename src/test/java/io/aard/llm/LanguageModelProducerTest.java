package io.aard.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.llm.builtin.BuiltinLanguageModel;
import io.aard.llm.ollama.OllamaLanguageModel;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Typed;
import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LanguageModelProducerTest {

  private static final LanguageModel BUILTIN = stub(Provider.BUILTIN);
  private static final LanguageModel OLLAMA = stub(Provider.OLLAMA);

  @Test
  void eachProviderBeanIsQualifiedWithTheNameItReports() {
    assertEquals(
        Provider.Literal.of(BuiltinLanguageModel.PROVIDER),
        BuiltinLanguageModel.class.getAnnotation(Provider.class));
    assertEquals(
        Provider.Literal.of(OllamaLanguageModel.PROVIDER),
        OllamaLanguageModel.class.getAnnotation(Provider.class));
    for (Class<?> bean : List.of(BuiltinLanguageModel.class, OllamaLanguageModel.class)) {
      assertTrue(LanguageModel.class.isAssignableFrom(bean), bean::getName);
      assertFalse(bean.isAnnotationPresent(Typed.class), bean::getName);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"builtin", " Ollama ", "OLLAMA"})
  void namedProvidersAreValid(String value) {
    assertTrue(LanguageModelProducer.isValid(value));
  }

  @ParameterizedTest
  @ValueSource(strings = {"openai", "", "builtin,ollama"})
  void otherValuesAreInvalidAndTheMessageListsTheAccepted(String value) {
    assertFalse(LanguageModelProducer.isValid(value));
    assertEquals(
        "LLM_PROVIDER='" + value + "' is not a provider; accepted: builtin, ollama",
        LanguageModelProducer.invalid(value));
  }

  @Test
  void producesTheProviderTheSettingNames() {
    assertSame(OLLAMA, producer(" Ollama ").languageModel());
    assertSame(BUILTIN, producer("builtin").languageModel());
  }

  @Test
  void unknownProviderIsRefused() {
    var refused = assertThrows(IllegalStateException.class, producer("openai")::languageModel);

    assertEquals(LanguageModelProducer.invalid("openai"), refused.getMessage());
  }

  private static LanguageModelProducer producer(String setting) {
    var producer = new LanguageModelProducer();
    producer.provider = setting;
    producer.providers = providers(null);
    return producer;
  }

  /** The provider beans as the container offers them: select by qualifier, then get. */
  @SuppressWarnings("unchecked")
  private static Instance<LanguageModel> providers(LanguageModel selected) {
    Map<Annotation, LanguageModel> beans =
        Map.of(
            Provider.Literal.of(Provider.BUILTIN), BUILTIN,
            Provider.Literal.of(Provider.OLLAMA), OLLAMA);
    return (Instance<LanguageModel>)
        Proxy.newProxyInstance(
            Instance.class.getClassLoader(),
            new Class<?>[] {Instance.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "select" -> providers(beans.get(((Annotation[]) args[0])[0]));
                  case "get" -> selected;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  private static LanguageModel stub(String name) {
    return (LanguageModel)
        Proxy.newProxyInstance(
            LanguageModel.class.getClassLoader(),
            new Class<?>[] {LanguageModel.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "provider" -> name;
                  case "toString" -> name;
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }
}
