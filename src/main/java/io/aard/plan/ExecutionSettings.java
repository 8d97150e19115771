package io.aard.plan;

import java.time.Duration;
import java.util.function.Function;

/** How long a step may run: {@code STEP_TIMEOUT_SECONDS}. */
public final class ExecutionSettings {

  /** The key of the longest time one step (its tool call) may take. */
  public static final String STEP_TIMEOUT_KEY = "STEP_TIMEOUT_SECONDS";

  /** Five minutes: a real model's answer on a small machine, with retries, fits. */
  public static final int DEFAULT_STEP_TIMEOUT_SECONDS = 300;

  /** A day: a longer bound is no bound. */
  static final int MAX_STEP_TIMEOUT_SECONDS = 86_400;

  private ExecutionSettings() {}

  /**
   * Reads the step timeout.
   *
   * @throws IllegalArgumentException naming the key, the value and what is accepted
   */
  public static Duration stepTimeout(Function<String, String> lookup) {
    String value = lookup.apply(STEP_TIMEOUT_KEY);
    if (value == null || value.isBlank()) {
      return Duration.ofSeconds(DEFAULT_STEP_TIMEOUT_SECONDS);
    }
    try {
      int seconds = Integer.parseInt(value.strip());
      if (seconds >= 1 && seconds <= MAX_STEP_TIMEOUT_SECONDS) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        STEP_TIMEOUT_KEY
            + "='"
            + value
            + "' is not accepted: a whole number of seconds from 1 to "
            + MAX_STEP_TIMEOUT_SECONDS
            + " (default "
            + DEFAULT_STEP_TIMEOUT_SECONDS
            + ")");
  }
}
