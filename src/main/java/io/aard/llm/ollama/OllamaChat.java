package io.aard.llm.ollama;

import io.aard.llm.LanguageModelException;
import jakarta.json.JsonObject;

/** One non-streaming call of Ollama's {@code /api/chat}: the seam between prompts and HTTP. */
@FunctionalInterface
interface OllamaChat {

  /**
   * Sends a system and a user message and waits for the whole answer.
   *
   * @param format the JSON schema the answer must fit, or {@code null} for free text
   * @throws LanguageModelException when Ollama cannot be reached, is too slow, answers with an
   *     error or with a body that is not a chat response
   */
  ChatResponse chat(String model, String system, String user, JsonObject format);
}
