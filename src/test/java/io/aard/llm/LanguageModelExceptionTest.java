package io.aard.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LanguageModelExceptionTest {

  @Test
  void clientMessageDoesNotNameTheModelServersAddress() {
    var e =
        new LanguageModelException(
            LanguageModelException.Kind.UNAVAILABLE,
            "Ollama at http://10.0.0.7:11434 is unreachable: connection refused");
    assertEquals("language model: Ollama is unreachable: connection refused", e.clientMessage());
    // The log and the span keep it.
    assertEquals(
        "Ollama at http://10.0.0.7:11434 is unreachable: connection refused", e.getMessage());
  }
}
