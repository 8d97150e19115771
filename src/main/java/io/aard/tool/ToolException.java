package io.aard.tool;

/** A tool could not do what a step asked; the message becomes the step's error. */
public class ToolException extends Exception {

  private static final long serialVersionUID = 1L;

  public ToolException(String message) {
    super(message);
  }

  public ToolException(String message, Throwable cause) {
    super(message, cause);
  }
}
