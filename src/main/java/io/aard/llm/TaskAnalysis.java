package io.aard.llm;

import java.util.List;

/**
 * What the planner understood of a task. Capabilities and complexity are held as their wire names
 * so that the analysis's JSON, which API clients read and plans store, is plain strings.
 *
 * @param summary one sentence restating the task
 * @param capabilities what the task needs: {@link Capability} wire names, such as {@code
 *     arithmetic}
 * @param complexity a {@link Complexity} wire name, such as {@code low}
 */
public record TaskAnalysis(String summary, List<String> capabilities, String complexity) {

  public TaskAnalysis {
    capabilities = List.copyOf(capabilities);
  }

  /** An analysis from the vocabulary's own types, as a provider that chose them makes it. */
  public static TaskAnalysis of(
      String summary, List<Capability> capabilities, Complexity complexity) {
    return new TaskAnalysis(
        summary, capabilities.stream().map(Capability::wireName).toList(), complexity.wireName());
  }
}
