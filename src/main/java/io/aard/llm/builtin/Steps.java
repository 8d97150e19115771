package io.aard.llm.builtin;

import io.aard.llm.ProposedStep;

/**
 * The steps the rules propose, one kind per tool, each with the agent of AARD's default roster that
 * has that tool; a decomposition given other agents moves them afterwards.
 */
final class Steps {

  static final String RESEARCHER = "researcher";
  static final String ANALYST = "analyst";
  static final String WRITER = "writer";
  static final String HTTP_GET = "http_get";
  static final String CALCULATOR = "calculator";
  static final String TEXT = "text";
  static final String LLM = "llm";

  private static final int MAX_DESCRIPTION_CHARS = 120;

  private Steps() {}

  /** Fetches a URL. */
  static ProposedStep fetch(String url) {
    return new ProposedStep("Fetch " + url, RESEARCHER, HTTP_GET, url);
  }

  /** Calculates a normalized expression. */
  static ProposedStep calculate(String expression) {
    return new ProposedStep("Calculate " + expression, ANALYST, CALCULATOR, expression);
  }

  /** Applies an operation of the {@code text} tool, {@code input} as {@code <op>: <text>}. */
  static ProposedStep text(String description, String input) {
    return new ProposedStep(description, ANALYST, TEXT, input);
  }

  /** Hands a clause to the language model as a prompt, for whatever no tool does. */
  static ProposedStep writer(String clause) {
    String prompt = Texts.capitalize(clause);
    String description =
        prompt.isEmpty()
            ? "Answer the task"
            : "Answer: " + Texts.abbreviate(prompt, MAX_DESCRIPTION_CHARS);
    return new ProposedStep(description, WRITER, LLM, prompt);
  }
}
