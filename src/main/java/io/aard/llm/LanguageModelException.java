package io.aard.llm;

/**
 * A language model call failed. The {@link Kind} decides the HTTP status a client sees: 503 when
 * the model server cannot be reached, 504 when it did not answer in time, 502 when it answered
 * with an error or with something that does not fit the requested schema.
 */
public class LanguageModelException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** Why the call failed. */
  public enum Kind {
    /** Connection refused or unknown host: HTTP 503. */
    UNAVAILABLE(503),
    /** No answer within the configured timeout: HTTP 504. */
    TIMEOUT(504),
    /** The model server answered with an HTTP error (for example model not found): HTTP 502. */
    UPSTREAM_ERROR(502),
    /** The answer was not valid JSON or did not fit the requested schema: HTTP 502. */
    INVALID_RESPONSE(502);

    private final int httpStatus;

    Kind(int httpStatus) {
      this.httpStatus = httpStatus;
    }

    /** The HTTP status an API client receives for this kind of failure. */
    public int httpStatus() {
      return httpStatus;
    }
  }

  private final Kind kind;

  public LanguageModelException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public LanguageModelException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
