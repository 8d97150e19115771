package io.aard.tracequery;

import java.util.function.Function;

/**
 * How much one trace read may return: {@code TRACE_READ_MAX_SPANS}. A trace is as large as whoever
 * writes spans makes it, so a read without a bound lets one request fill the heap; past the bound
 * the read is cut and says how to page the rest.
 */
public final class TraceReadSettings {

  /** The key of the most spans one read of a trace returns. */
  public static final String MAX_SPANS_KEY = "TRACE_READ_MAX_SPANS";

  /** Ten thousand: a long plan's trace fits whole, and the viewer renders it in a second. */
  public static final int DEFAULT_MAX_SPANS = 10_000;

  private TraceReadSettings() {}

  /**
   * Reads the bound.
   *
   * @throws IllegalArgumentException naming the key, the value and what is accepted
   */
  public static int maxSpans(Function<String, String> lookup) {
    String value = lookup.apply(MAX_SPANS_KEY);
    if (value == null || value.isBlank()) {
      return DEFAULT_MAX_SPANS;
    }
    try {
      int spans = Integer.parseInt(value.strip());
      if (spans >= 1) {
        return spans;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        MAX_SPANS_KEY
            + "='"
            + value
            + "' is not accepted: a whole number of spans above 0 (default "
            + DEFAULT_MAX_SPANS
            + ")");
  }
}
