package io.aard;

/**
 * A failure of the domain that a client is told of: its message says what went wrong in the
 * client's terms, its {@link Category} what kind of failure it is. The domain never speaks HTTP:
 * the web layer's one exception mapper alone decides which status each category gets.
 */
public class AardException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What kind of failure it is, as far as a client of the API cares. */
  public enum Category {
    /** Something the client named does not exist. */
    NOT_FOUND,
    /** The current state does not allow what was asked. */
    CONFLICT,
    /** A resource the request needs cannot be had now; the client may retry later. */
    UNAVAILABLE,
    /** Something the request waited for did not answer in time. */
    TIMEOUT,
    /** A service the platform relies on answered with an error or with nonsense. */
    UPSTREAM
  }

  private final Category category;
  private final String parameter;

  /** A failure of this category, not tied to one request parameter. */
  public AardException(Category category, String message) {
    this(category, message, null, null);
  }

  /** A failure of this category, with the exception that caused it. */
  public AardException(Category category, String message, Throwable cause) {
    this(category, message, null, cause);
  }

  /**
   * A failure of this category.
   *
   * @param parameter the request parameter or field at fault, or {@code null}
   * @param cause what caused it, or {@code null}
   */
  public AardException(Category category, String message, String parameter, Throwable cause) {
    super(message, cause);
    this.category = category;
    this.parameter = parameter;
  }

  /** What kind of failure this is. */
  public final Category category() {
    return category;
  }

  /** The request parameter or field at fault, or {@code null}. */
  public final String parameter() {
    return parameter;
  }

  /** The message as a client reads it; by default the exception's own message. */
  public String clientMessage() {
    return getMessage();
  }
}
