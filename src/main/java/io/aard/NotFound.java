package io.aard;

/** Something the client named (a task, a plan) does not exist. */
public final class NotFound extends AardException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what was not found, e.g. {@code no plan <id>}
   */
  public NotFound(String message) {
    super(Category.NOT_FOUND, message);
  }
}
