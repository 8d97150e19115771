package io.aard;

/** What to say of a failure in one line: a log line, a health check, a step's error. */
public final class Failures {

  private Failures() {}

  /**
   * The message of the innermost cause (its class name when it has none), on one line: the wrapped
   * layers (JPA, the pool, the JAX-RS client) add nothing an operator or a user can act on.
   */
  public static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.replaceAll("\\s+", " ").trim();
  }
}
