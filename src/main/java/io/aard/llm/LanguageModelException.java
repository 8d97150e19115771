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
    UNAVAILABLE(Category.UNAVAILABLE),
    /** No answer within the configured timeout. */
    TIMEOUT(Category.TIMEOUT),
    /** The model server answered with an HTTP error (for example model not found). */
    UPSTREAM_ERROR(Category.UPSTREAM),
    /** The answer was not valid JSON or did not fit the requested schema. */
    INVALID_RESPONSE(Category.UPSTREAM);

    private final Category category;

    Kind(Category category) {
      this.category = category;
    }

    /** The category of failure this kind is, as the API reports it. */
    public Category category() {
      return category;
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

  /**
   * Says that the language model failed, since the message alone may not, without the model
   * server's address: that is for the log and the span, not for every API caller.
   */
  @Override
  public String clientMessage() {
    return "language model: " + withoutAddress(getMessage());
  }

  /** {@code message} without an {@code " at <scheme>://host:port"} naming where the model runs. */
  public static String withoutAddress(String message) {
    return message == null ? null : ADDRESS.matcher(message).replaceAll("");
  }

  private static final java.util.regex.Pattern ADDRESS =
      java.util.regex.Pattern.compile(" at [A-Za-z][A-Za-z0-9+.-]*://[^\\s]+");
}
