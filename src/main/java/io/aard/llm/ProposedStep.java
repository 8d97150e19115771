package io.aard.llm;

/**
 * One step of a plan as a model proposed it, before it is checked against the registries.
 *
 * @param description what the step does, for people
 * @param agent the name of the agent that runs it
 * @param tool the name of the tool the agent uses
 * @param input the tool's input
 */
public record ProposedStep(String description, String agent, String tool, String input) {

  /**
   * The most steps one decomposition may propose, whichever provider makes it: the builtin rules
   * stop there and the model's answer schema allows no more.
   */
  public static final int MAX_STEPS = 20;
}
