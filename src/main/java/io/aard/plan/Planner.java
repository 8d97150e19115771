package io.aard.plan;

import io.aard.Conflict;
import io.aard.NotFound;
import io.aard.llm.LanguageModelException;
import io.aard.llm.ProposedStep;
import io.aard.llm.StepReferences;
import io.aard.llm.TaskAnalysis;
import io.aard.registry.Agent;
import io.aard.registry.AgentDirectory;
import io.aard.registry.RegisteredTool;
import io.aard.task.Task;
import io.aard.task.TaskRepository;
import io.aard.task.TaskStatus;
import io.aard.tracing.ErrorTypes;
import io.aard.tracing.GenAi;
import io.aard.web.JsonbContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Makes a plan for a task: analyses it, decomposes it into steps with the language model, checks
 * every step against the registries and stores the plan. Nothing is stored unless all of that
 * succeeds, so a failing model never leaves a half-written plan.
 */
@ApplicationScoped
public class Planner {

  private static final Logger LOG = Logger.getLogger(Planner.class.getName());

  @Inject TaskRepository tasks;
  @Inject PlanRepository plans;
  @Inject PlanningSteps steps;
  @Inject AgentDirectory directory;

  /**
   * Plans a task. The caller has entered the {@link io.aard.tracing.WorkContext} of the task and of
   * {@code planId}, so every span below carries both ids. The span is the GenAI conventions' {@code
   * plan} operation, a name of AARD's own: the conventions have none for planning.
   *
   * @throws NotFound when the task does not exist
   * @throws Conflict when one of the task's plans is running
   * @throws LanguageModelException when the model fails or proposes an impossible step
   */
  @WithSpan("planning.generate_plan")
  public PlanView generatePlan(UUID taskId, UUID planId) {
    Span.current().setAttribute(GenAi.OPERATION, GenAi.PLAN);
    try {
      return plan(taskId, planId);
    } catch (RuntimeException e) {
      ErrorTypes.onCurrentSpan(e);
      throw e;
    }
  }

  private PlanView plan(UUID taskId, UUID planId) {
    Task task = tasks.find(taskId).orElseThrow(() -> new NotFound("no task " + taskId));
    if (task.status() == TaskStatus.RUNNING) {
      // Checked again under the task's lock when the plan is stored; failing here spares the model.
      throw new Conflict(
          "task "
              + taskId
              + " has a plan running; cancel it or wait for it to end before planning again");
    }
    TaskAnalysis analysis = steps.analyze(task.description());
    List<ProposedStep> proposed =
        steps.decompose(task.description(), analysis, directory.profiles());
    if (proposed.isEmpty()) {
      throw new LanguageModelException(
          LanguageModelException.Kind.INVALID_RESPONSE, "the model proposed a plan with no steps");
    }
    List<String> references =
        StepReferences.problems(proposed.stream().map(ProposedStep::input).toList());
    if (!references.isEmpty()) {
      throw new LanguageModelException(
          LanguageModelException.Kind.INVALID_RESPONSE,
          "the proposed plan is not executable: " + String.join("; ", references));
    }
    Plan plan =
        new Plan(
            planId,
            taskId,
            JsonbContext.jsonb().toJson(analysis),
            steps.provider(),
            steps.modelName());
    for (int i = 0; i < proposed.size(); i++) {
      ProposedStep step = proposed.get(i);
      Agent agent = agentFor(i, step);
      RegisteredTool tool = toolFor(i, step, agent);
      plan.addStep(step.description(), agent.id(), tool.id(), step.input());
    }
    plans.create(plan);
    LOG.info(
        "Plan " + planId + " created for task " + taskId + " with " + proposed.size() + " steps");
    return PlanView.of(plan, directory);
  }

  private Agent agentFor(int index, ProposedStep step) {
    return directory
        .agent(step.agent())
        .orElseThrow(
            () -> impossible(index, "names agent '" + step.agent() + "', which does not exist"));
  }

  private RegisteredTool toolFor(int index, ProposedStep step, Agent agent) {
    RegisteredTool tool =
        directory
            .tool(step.tool())
            .orElseThrow(
                () -> impossible(index, "names tool '" + step.tool() + "', which does not exist"));
    if (!agent.mayUse(tool.name())) {
      throw impossible(
          index,
          "gives tool '" + tool.name() + "' to agent '" + agent.name() + "', which may not use it");
    }
    if (step.description() == null || step.description().isBlank() || step.input() == null) {
      throw impossible(index, "has no description or no input");
    }
    return tool;
  }

  private static LanguageModelException impossible(int index, String what) {
    return new LanguageModelException(
        LanguageModelException.Kind.INVALID_RESPONSE,
        "the proposed plan is not executable: step " + index + " " + what);
  }
}
