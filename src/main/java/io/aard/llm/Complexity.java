package io.aard.llm;

import java.util.Arrays;
import java.util.List;

/**
 * How hard a task is, as a {@link TaskAnalysis} names it. The analysis carries the {@link
 * #wireName() wire name}, so that its JSON (in API responses and in stored plans) stays a plain
 * string; this enum is the one list of them, for both providers and the model's answer schema.
 */
public enum Complexity {
  /** A task of one clause or so. */
  LOW("low"),
  /** A task of a few clauses. */
  MEDIUM("medium"),
  /** A task of many clauses. */
  HIGH("high");

  private static final List<String> WIRE_NAMES =
      Arrays.stream(values()).map(Complexity::wireName).toList();

  private final String wireName;

  Complexity(String wireName) {
    this.wireName = wireName;
  }

  /** The name in a {@link TaskAnalysis} and in the model's answer, such as {@code low}. */
  public String wireName() {
    return wireName;
  }

  /** Every wire name, from the lowest complexity to the highest. */
  public static List<String> wireNames() {
    return WIRE_NAMES;
  }
}
