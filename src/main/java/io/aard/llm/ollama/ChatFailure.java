package io.aard.llm.ollama;

import io.aard.llm.LanguageModelException;
import java.time.Duration;

/**
 * A chat request that got no answer, with what {@link Attempts} needs to decide whether sending it
 * again may help. Its {@link Kind} still decides the HTTP status a client sees.
 */
final class ChatFailure extends LanguageModelException {

  private static final long serialVersionUID = 1L;

  private final String errorType;
  private final boolean transientFailure;
  private final Duration retryAfter;

  /**
   * @param errorType the span's {@code error.type}: an HTTP status code or a short name
   * @param transientFailure whether the same request may succeed a moment later
   * @param retryAfter how long the server asked to wait before the next request, or {@code null}
   */
  ChatFailure(
      Kind kind,
      String message,
      Throwable cause,
      String errorType,
      boolean transientFailure,
      Duration retryAfter) {
    super(kind, message, cause);
    this.errorType = errorType;
    this.transientFailure = transientFailure;
    this.retryAfter = retryAfter;
  }

  /** The span's {@code error.type}. */
  String errorType() {
    return errorType;
  }

  /** Whether sending the same request again may succeed. */
  boolean isTransient() {
    return transientFailure;
  }

  /** The wait the server asked for ({@code Retry-After}), or {@code null}. */
  Duration retryAfter() {
    return retryAfter;
  }
}
