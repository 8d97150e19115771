package io.aard;

/** What the client asked is not allowed in the current state (of a plan, of a task). */
public final class Conflict extends AardException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message why not, and what the client can do about it
   */
  public Conflict(String message) {
    super(Category.CONFLICT, message);
  }
}
