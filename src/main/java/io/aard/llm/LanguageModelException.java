package io.aard.llm;

import io.aard.AardException;

/**
 * A language model call failed. The {@link Kind} says why; each kind belongs to a {@link
 * AardException.Category} (unreachable, too slow, or a bad answer from upstream), which is all the
 * web layer needs to choose the HTTP status a client sees.
 */
public class LanguageModelException extends AardException {

  private static final long serialVersionUID = 1L;

  /** Why the call failed. */
  public enum Kind {
    /** Connection refused or unknown host. */
    UNAVAILABLE(Category.UNAVAILABLE, 503),
    /** No answer within the configured timeout. */
    TIMEOUT(Category.TIMEOUT, 504),
    /** The model server answered with an HTTP error (for example model not found). */
    UPSTREAM_ERROR(Category.UPSTREAM, 502),
    /** The answer was not valid JSON or did not fit the requested schema. */
    INVALID_RESPONSE(Category.UPSTREAM, 502);

    private final Category category;
    private final int httpStatus;

    Kind(Category category, int httpStatus) {
      this.category = category;
      this.httpStatus = httpStatus;
    }

    /** The category of failure this kind is, as the API reports it. */
    public Category category() {
      return category;
    }

    /**
     * The HTTP status an API client receives for this kind of failure: 503, 504 or 502.
     *
     * @deprecated the web layer decides statuses from {@link #category()}; this copy of its answer
     *     remains only for callers written before, and goes once they no longer use it
     */
    @Deprecated
    public int httpStatus() {
      return httpStatus;
    }
  }

  private final Kind kind;

  public LanguageModelException(Kind kind, String message) {
    super(kind.category(), message);
    this.kind = kind;
  }

  public LanguageModelException(Kind kind, String message, Throwable cause) {
    super(kind.category(), message, cause);
    this.kind = kind;
  }

  /** Why the call failed. */
  public Kind kind() {
    return kind;
  }

  /** Says that the language model failed, since the message alone may not. */
  @Override
  public String clientMessage() {
    return "language model: " + getMessage();
  }
}
