package io.aard.llm.builtin;

import io.aard.llm.AgentProfile;
import io.aard.llm.Capability;
import io.aard.llm.Complexity;
import io.aard.llm.ProposedStep;
import io.aard.llm.TaskAnalysis;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules behind the {@code builtin} provider: a deterministic stand-in for a language model that
 * reads a task clause by clause ({@link Clauses}) and routes each clause to the tool its wording
 * asks for ({@link TextRequests}, {@link Masked#URL}, {@link ArithmeticFinder}), else to the {@code
 * llm} tool.
 *
 * <p>Pure: no state, no I/O, the same input always gives an equal output, so plans made with it can
 * be compared across runs and benchmarks.
 */
final class BuiltinRules {

  /** The longest summary, and the longest restated prompt in a completion. */
  static final int MAX_SUMMARY_CHARS = 200;

  private static final String REAL_MODEL_HINT = "set LLM_PROVIDER=ollama to use a real model.";

  /** One usable clause of a task and the steps the rules chose for it. */
  private record Planned(String clause, List<ProposedStep> steps) {}

  /**
   * Analyses a task: a one-sentence restatement, the capabilities its clauses need (in {@link
   * Capability}'s order) and its complexity by clause count (one clause is {@link Complexity#LOW},
   * two or three {@link Complexity#MEDIUM}, more {@link Complexity#HIGH}).
   *
   * @param task the task's description; {@code null} reads as empty
   */
  TaskAnalysis analyze(String task) {
    List<Planned> planned = plan(task);
    List<Capability> capabilities = new ArrayList<>();
    addCapability(capabilities, planned, Steps.CALCULATOR, Capability.ARITHMETIC);
    addCapability(capabilities, planned, Steps.TEXT, Capability.TEXT);
    addCapability(capabilities, planned, Steps.HTTP_GET, Capability.WEB);
    addCapability(capabilities, planned, Steps.LLM, Capability.WRITING);
    if (capabilities.isEmpty()) {
      capabilities.add(Capability.WRITING);
    }
    return TaskAnalysis.of(summarize(task, planned), capabilities, complexity(planned.size()));
  }

  /**
   * Decomposes a task into at most {@link ProposedStep#MAX_STEPS} steps, one per clause (one per
   * URL in a clause that names several), using the agents {@code researcher}, {@code analyst} and
   * {@code writer}. Never empty: a task without a usable clause becomes one {@code writer}/{@code
   * llm} step with the whole task as its prompt.
   *
   * @param task the task's description; {@code null} reads as empty
   * @param analysis not consulted: the rules read everything they need from the task itself
   */
  List<ProposedStep> decompose(String task, TaskAnalysis analysis) {
    return decompose(task, analysis, List.of());
  }

  /**
   * Like {@link #decompose(String, TaskAnalysis)}, then fits each step to the given agents: a step
   * whose agent is missing or lacks the tool goes to the first agent that has the tool; if no agent
   * has it, the clause becomes an {@code llm} step of an agent that has {@code llm} ({@code writer}
   * when none does, for the caller's registry check to reject).
   *
   * @param agents the agents a step may name; empty or {@code null} accepts the rules' choice
   */
  List<ProposedStep> decompose(String task, TaskAnalysis analysis, List<AgentProfile> agents) {
    List<Planned> planned = plan(task);
    if (planned.isEmpty()) {
      String whole = task == null ? "" : task.strip();
      planned = List.of(new Planned(whole, List.of(Steps.writer(whole))));
    }
    List<AgentProfile> available = agents == null ? List.of() : agents;
    List<ProposedStep> steps = new ArrayList<>();
    for (Planned clause : planned) {
      for (ProposedStep step : fit(clause, available)) {
        if (steps.size() < ProposedStep.MAX_STEPS) {
          steps.add(step);
        }
      }
    }
    return EarlierResults.link(steps, Steps.LLM);
  }

  /**
   * Answers a prompt honestly: this model cannot reason, so it restates the prompt's first sentence
   * and says how to configure a real model.
   *
   * @param prompt the prompt; {@code null} reads as empty
   */
  String complete(String prompt) {
    String first = Texts.abbreviate(Clauses.firstSentence(prompt), MAX_SUMMARY_CHARS);
    if (first.isEmpty()) {
      return "[builtin model] The prompt was empty. This rule-based model cannot reason; "
          + REAL_MODEL_HINT;
    }
    boolean ended = first.endsWith(".") || first.endsWith("?") || first.endsWith("!");
    return "[builtin model] This rule-based model cannot reason; it can only restate the prompt: \""
        + first
        + (ended ? "\" " : "\". ")
        + Texts.capitalize(REAL_MODEL_HINT);
  }

  private static List<Planned> plan(String task) {
    List<Planned> planned = new ArrayList<>();
    for (String clause : Clauses.of(task)) {
      planned.add(new Planned(clause, stepsFor(clause)));
    }
    return planned;
  }

  /** A text operation, else one fetch per URL, else a calculation, else a prompt. */
  private static List<ProposedStep> stepsFor(String clause) {
    String bare = Texts.trimEnd(clause, Texts.PUNCTUATION);
    Optional<ProposedStep> text = TextRequests.find(bare);
    if (text.isPresent()) {
      return List.of(text.get());
    }
    List<ProposedStep> fetches =
        Masked.URL.matcher(bare).results().map(url -> Steps.fetch(url.group())).toList();
    if (!fetches.isEmpty()) {
      return fetches;
    }
    Optional<String> expression = ArithmeticFinder.find(bare);
    if (expression.isPresent()) {
      return List.of(Steps.calculate(expression.get()));
    }
    return List.of(Steps.writer(clause));
  }

  private static List<ProposedStep> fit(Planned planned, List<AgentProfile> agents) {
    if (agents.isEmpty()) {
      return planned.steps();
    }
    List<ProposedStep> fitted = new ArrayList<>();
    for (ProposedStep step : planned.steps()) {
      ProposedStep placed = place(step, agents).orElseGet(() -> llmStep(planned.clause(), agents));
      if (!fitted.contains(placed)) {
        fitted.add(placed);
      }
    }
    return fitted;
  }

  private static Optional<ProposedStep> place(ProposedStep step, List<AgentProfile> agents) {
    boolean chosenFits =
        agents.stream()
            .anyMatch(a -> a.name().equals(step.agent()) && a.tools().contains(step.tool()));
    if (chosenFits) {
      return Optional.of(step);
    }
    return agents.stream()
        .filter(a -> a.tools().contains(step.tool()))
        .findFirst()
        .map(a -> new ProposedStep(step.description(), a.name(), step.tool(), step.input()));
  }

  private static ProposedStep llmStep(String clause, List<AgentProfile> agents) {
    ProposedStep writer = Steps.writer(clause);
    return place(writer, agents).orElse(writer);
  }

  private static void addCapability(
      List<Capability> capabilities, List<Planned> planned, String tool, Capability capability) {
    boolean used =
        planned.stream()
            .flatMap(clause -> clause.steps().stream())
            .anyMatch(step -> step.tool().equals(tool));
    if (used) {
      capabilities.add(capability);
    }
  }

  private static Complexity complexity(int clauses) {
    if (clauses <= 1) {
      return Complexity.LOW;
    }
    return clauses <= 3 ? Complexity.MEDIUM : Complexity.HIGH;
  }

  /** The clauses joined into one sentence, or the whole task when no clause is usable. */
  private static String summarize(String task, List<Planned> planned) {
    if (planned.isEmpty()) {
      String whole = task == null ? "" : Texts.collapse(task);
      return whole.isEmpty() ? "An empty task." : Texts.abbreviate(whole, MAX_SUMMARY_CHARS);
    }
    StringBuilder sentence = new StringBuilder();
    String last = "";
    for (Planned clause : planned) {
      last = clause.clause();
      String bare = Texts.trimEnd(last, Texts.PUNCTUATION);
      if (sentence.length() == 0) {
        sentence.append(Texts.capitalize(bare));
      } else {
        sentence.append(", then ").append(Texts.decapitalize(bare));
      }
    }
    char end = last.charAt(last.length() - 1);
    sentence.append(end == '?' || end == '!' ? end : '.');
    return Texts.abbreviate(sentence.toString(), MAX_SUMMARY_CHARS);
  }
}
