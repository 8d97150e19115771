package io.aard.llm.ollama;

import io.aard.llm.LanguageModelException;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;

/** One non-streaming call of Ollama's {@code /api/chat}: the seam between prompts and HTTP. */
@FunctionalInterface
interface OllamaChat {

  /**
   * Sends a conversation once and waits for the whole answer.
   *
   * @param messages the conversation so far, oldest first: a system message, then user and
   *     assistant messages in turn, ending with a user message
   * @param format the JSON schema the answer must fit, or {@code null} for free text
   * @param timeout how long this request may take, connecting included
   * @throws LanguageModelException when Ollama cannot be reached, is too slow, answers with an
   *     error or with a body that is not a chat response; a {@link ChatFailure} says whether
   *     sending the request again may help
   */
  ChatResponse chat(String model, List<ChatMessage> messages, JsonObject format, Duration timeout);
}
