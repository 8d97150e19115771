package io.aard.llm.builtin;

import io.aard.llm.ProposedStep;
import io.aard.llm.StepReferences;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Hands earlier results to the {@code llm} steps that ask about them: a prompt such as "write one
 * sentence about the result" after a calculation gets {@code (step 0: {{steps.0.output}})}
 * appended, so the model, builtin or real, sees the figure itself.
 */
final class EarlierResults {

  /** Words by which a clause points back at what the steps before it produced. */
  private static final Pattern POINTS_BACK =
      Pattern.compile(
          "\\b(?:results?|answers?|outputs?|findings|figures?|numbers?|values?|it|them|that|those"
              + "|these|this|above|previous|summar\\w*|sum up)\\b",
          Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

  private EarlierResults() {}

  /** The steps, each {@code llm} step that points back given references to all before it. */
  static List<ProposedStep> link(List<ProposedStep> steps, String llmTool) {
    List<ProposedStep> linked = new ArrayList<>(steps.size());
    for (int i = 0; i < steps.size(); i++) {
      ProposedStep step = steps.get(i);
      if (i > 0
          && step.tool().equals(llmTool)
          && !StepReferences.refers(step.input())
          && POINTS_BACK.matcher(step.input()).find()) {
        StringJoiner references = new StringJoiner("; ", " (", ")");
        for (int earlier = 0; earlier < i; earlier++) {
          references.add("step " + earlier + ": " + StepReferences.to(earlier));
        }
        step =
            new ProposedStep(
                step.description(),
                step.agent(),
                step.tool(),
                withReferences(step.input(), references.toString()));
      }
      linked.add(step);
    }
    return List.copyOf(linked);
  }

  /** The references before the prompt's final punctuation, so they stay in its first sentence. */
  private static String withReferences(String prompt, String references) {
    int end = prompt.length();
    while (end > 0 && ".!?".indexOf(prompt.charAt(end - 1)) >= 0) {
      end--;
    }
    return prompt.substring(0, end) + references + prompt.substring(end);
  }
}
