package io.aard.llm;

import java.util.Arrays;
import java.util.List;

/**
 * What a task may need, as a {@link TaskAnalysis} names it. The analysis carries the {@link
 * #wireName() wire names}, so that its JSON (in API responses and in stored plans) stays plain
 * strings; this enum is the one list of them, for both providers and the model's answer schema.
 */
public enum Capability {
  /** Calculations. */
  ARITHMETIC("arithmetic"),
  /** Counting or transforming text. */
  TEXT("text"),
  /** Fetching a web page. */
  WEB("web"),
  /** Composing prose. */
  WRITING("writing");

  private static final List<String> WIRE_NAMES =
      Arrays.stream(values()).map(Capability::wireName).toList();

  private final String wireName;

  Capability(String wireName) {
    this.wireName = wireName;
  }

  /** The name in a {@link TaskAnalysis} and in the model's answer, such as {@code arithmetic}. */
  public String wireName() {
    return wireName;
  }

  /** Every wire name, in declaration order. */
  public static List<String> wireNames() {
    return WIRE_NAMES;
  }
}
