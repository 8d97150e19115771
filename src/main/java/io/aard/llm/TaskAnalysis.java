package io.aard.llm;

import java.util.List;

/**
 * What the planner understood of a task.
 *
 * @param summary one sentence restating the task
 * @param capabilities what the task needs, from {@code arithmetic}, {@code text}, {@code web},
 *     {@code writing}
 * @param complexity {@code low}, {@code medium} or {@code high}
 */
public record TaskAnalysis(String summary, List<String> capabilities, String complexity) {

  public TaskAnalysis {
    capabilities = List.copyOf(capabilities);
  }
}
