package io.aard.llm.ollama;

/**
 * One message of a chat with Ollama.
 *
 * @param role {@code system}, {@code user} or {@code assistant}
 * @param content the message's text
 */
record ChatMessage(String role, String content) {

  /** The instructions that frame the conversation. */
  static ChatMessage system(String content) {
    return new ChatMessage("system", content);
  }

  /** What AARD asks. */
  static ChatMessage user(String content) {
    return new ChatMessage("user", content);
  }

  /** What the model answered, verbatim. */
  static ChatMessage assistant(String content) {
    return new ChatMessage("assistant", content);
  }
}
