package io.aard.llm;

import java.util.List;

/**
 * The one port behind which AARD talks to a language model. Every call is traced as a {@code
 * <provider>.generate} span carrying the GenAI semantic conventions' {@code gen_ai.*} attributes.
 */
public interface LanguageModel {

  /** {@code builtin} or {@code ollama}: the value of {@code gen_ai.provider.name}. */
  String provider();

  /** The model every call asks for ({@code gen_ai.request.model}). */
  String model();

  /**
   * Analyses a task: what it asks for and which capabilities it needs.
   *
   * @throws LanguageModelException when the model cannot be reached or answers out of shape
   */
  TaskAnalysis analyze(String taskDescription);

  /**
   * Decomposes a task into ordered steps, each naming one of the given agents and one of that
   * agent's tools.
   *
   * @throws LanguageModelException when the model cannot be reached or answers out of shape
   */
  List<ProposedStep> decompose(
      String taskDescription, TaskAnalysis analysis, List<AgentProfile> agents);

  /**
   * Answers a free-form prompt (the {@code llm} tool).
   *
   * @param context what the model should know besides the prompt: the task and the descriptions and
   *     outputs of the plan's earlier steps, as text; empty when there is none
   * @throws LanguageModelException when the model cannot be reached or fails
   */
  String complete(String prompt, String context);

  /** {@link #complete(String, String)} without context. */
  default String complete(String prompt) {
    return complete(prompt, "");
  }
}
