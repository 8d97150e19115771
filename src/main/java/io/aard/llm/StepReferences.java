package io.aard.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a step's input refers to the output of an earlier step of its plan: {@code
 * {{steps.N.output}}}, with {@code N} the earlier step's index (0-based, as in the API). Before the
 * step runs, each reference is replaced by that step's output; the step stores the input it ran
 * with. Both providers plan with it, and a plan whose references name no earlier step is refused
 * when it is made.
 *
 * <p>Any {@code {{steps.} ... {@code }}} that does not have exactly this form is refused too, so
 * that a model's typo cannot reach a tool as literal text.
 */
public final class StepReferences {

  /** The syntax, for prompts and documentation. */
  public static final String SYNTAX = "{{steps.N.output}}";

  private static final Pattern ANY =
      Pattern.compile("\\{\\{\\s*steps\\b(.*?)\\}\\}", Pattern.DOTALL);
  private static final Pattern EXACT = Pattern.compile("\\.(\\d{1,4})\\.output\\s*");

  private StepReferences() {}

  /** The reference to the output of step {@code index}. */
  public static String to(int index) {
    return "{{steps." + index + ".output}}";
  }

  /**
   * What is wrong with the references of a plan's step inputs.
   *
   * @param inputs the inputs of the plan's steps, in order
   * @return one message per bad reference, naming the step ({@code $.steps[i].input: ...}); empty
   *     when every reference names an earlier step
   */
  public static List<String> problems(List<String> inputs) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < inputs.size(); i++) {
      String input = inputs.get(i);
      if (input == null) {
        continue;
      }
      Matcher any = ANY.matcher(input);
      while (any.find()) {
        Matcher exact = EXACT.matcher(any.group(1));
        String where = "$.steps[" + i + "].input: ";
        if (!exact.matches()) {
          problems.add(where + "'" + any.group() + "' is not a reference; write " + SYNTAX);
          continue;
        }
        int target = Integer.parseInt(exact.group(1));
        if (target >= i) {
          problems.add(
              where
                  + any.group()
                  + " refers to step "
                  + target
                  + ", which "
                  + (target == i
                      ? "is this step"
                      : target >= inputs.size() ? "does not exist" : "comes later")
                  + "; a step may use only the outputs of the steps before it");
        }
      }
    }
    return List.copyOf(problems);
  }

  /**
   * The input with each reference replaced by the output of the step it names.
   *
   * @param outputs the outputs of the steps before this one, in order
   * @throws IllegalArgumentException when a reference names a step that has no output here; {@link
   *     #problems} keeps such plans from being stored
   */
  public static String resolve(String input, List<String> outputs) {
    Matcher any = ANY.matcher(input);
    StringBuilder resolved = new StringBuilder();
    while (any.find()) {
      Matcher exact = EXACT.matcher(any.group(1));
      int target = exact.matches() ? Integer.parseInt(exact.group(1)) : -1;
      if (target < 0 || target >= outputs.size() || outputs.get(target) == null) {
        throw new IllegalArgumentException(
            "'" + any.group() + "' names no earlier step with an output");
      }
      any.appendReplacement(resolved, Matcher.quoteReplacement(outputs.get(target)));
    }
    any.appendTail(resolved);
    return resolved.toString();
  }

  /** Whether the input refers to any earlier step. */
  public static boolean refers(String input) {
    return input != null && ANY.matcher(input).find();
  }
}
