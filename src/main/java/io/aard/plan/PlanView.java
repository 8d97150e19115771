package io.aard.plan;

import io.aard.llm.TaskAnalysis;
import io.aard.registry.Agent;
import io.aard.registry.AgentDirectory;
import io.aard.registry.RegisteredTool;
import io.aard.web.JsonbContext;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A plan as the API shows it, with its steps and their results. */
public record PlanView(
    UUID id,
    UUID taskId,
    PlanStatus status,
    TaskAnalysis analysis,
    String provider,
    String model,
    String error,
    List<StepView> steps,
    Instant createdAt,
    Instant startedAt,
    Instant finishedAt) {

  /**
   * A step as the API shows it; agent and tool by id and by name. {@code id} is the {@code
   * gen_ai.tool.call.id} of the step's span. {@code input} is the input as planned, {@code
   * resolved_input} the input it ran with (its {@code {{steps.N.output}}} references replaced),
   * {@code null} until it starts.
   */
  public record StepView(
      UUID id,
      int index,
      String description,
      UUID agentId,
      String agentName,
      UUID toolId,
      String toolName,
      String input,
      String resolvedInput,
      StepStatus status,
      String output,
      String error,
      Instant startedAt,
      Instant finishedAt) {}

  static PlanView of(Plan plan, AgentDirectory directory) {
    return new PlanView(
        plan.id(),
        plan.taskId(),
        plan.status(),
        JsonbContext.jsonb().fromJson(plan.analysisJson(), TaskAnalysis.class),
        plan.provider(),
        plan.model(),
        plan.error(),
        plan.steps().stream()
            .sorted(java.util.Comparator.comparingInt(Step::index))
            .map(s -> step(s, directory))
            .toList(),
        plan.createdAt(),
        plan.startedAt(),
        plan.finishedAt());
  }

  private static StepView step(Step step, AgentDirectory directory) {
    return new StepView(
        step.id(),
        step.index(),
        step.description(),
        step.agentId(),
        directory.agent(step.agentId()).map(Agent::name).orElse(null),
        step.toolId(),
        directory.tool(step.toolId()).map(RegisteredTool::name).orElse(null),
        step.input(),
        step.resolvedInput(),
        step.status(),
        step.output(),
        step.error(),
        step.startedAt(),
        step.finishedAt());
  }
}
