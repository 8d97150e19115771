package io.aard.plan;

import io.aard.AardException;
import io.aard.Conflict;
import io.aard.NotFound;
import io.aard.llm.StepReferences;
import io.aard.registry.AgentDirectory;
import io.opentelemetry.context.Context;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a plan's steps in order, in the caller's thread or in the background. Each step runs on
 * {@code {{steps.N.output}}}-resolved input and sees the earlier steps' results as context. The
 * first failing step fails the plan; a cancel stops it before the next step; whatever happens, the
 * plan leaves RUNNING, or the {@link PlanSupervisor} marks it interrupted.
 */
@ApplicationScoped
public class PlanExecutor {

  private static final Logger LOG = Logger.getLogger(PlanExecutor.class.getName());

  /** How much of one earlier step's output the context of a later step carries. */
  static final int MAX_CONTEXT_OUTPUT_CHARS = 4_000;

  /** Why a plan whose run this server's stop interrupted failed. */
  static final String STOPPED = "the server running it stopped";

  @Inject PlanRepository plans;
  @Inject StepRunner runner;
  @Inject AgentDirectory directory;
  @Inject PlanRuns runs;

  @Resource ManagedExecutorService executor;

  /**
   * Executes a DRAFT plan and answers when it has ended. The caller has entered the plan's {@link
   * io.aard.tracing.WorkContext}.
   *
   * @throws NotFound for an unknown plan
   * @throws Conflict for a plan that is not DRAFT or whose task runs another plan
   */
  public PlanView execute(UUID planId) {
    Running running = begin(planId);
    runSteps(running, true);
    return view(planId);
  }

  /**
   * Starts a DRAFT plan in the background and answers at once with the plan RUNNING. The steps'
   * spans still belong to the caller's trace: the run carries the caller's context.
   *
   * @throws AardException as {@link #execute}, and {@code UNAVAILABLE} when no thread is free to
   *     run it
   */
  public PlanView start(UUID planId) {
    Running running = begin(planId);
    Runnable work = Context.current().wrap(() -> runSteps(running, false));
    try {
      executor.execute(work);
    } catch (RejectedExecutionException e) {
      String why = "the server had no thread free to run it";
      plans.fail(planId, "not started: " + why);
      runs.unregister(planId, running.run());
      throw new AardException(AardException.Category.UNAVAILABLE, why + "; try again later");
    }
    return view(planId);
  }

  private record Running(PlanRepository.Started started, PlanRuns.Run run) {
    UUID planId() {
      return started.plan().id();
    }
  }

  private Running begin(UUID planId) {
    PlanRuns.Run run =
        runs.register(planId)
            .orElseThrow(() -> new Conflict("plan " + planId + " is RUNNING on this server"));
    try {
      return new Running(plans.start(planId, runs.instanceId()), run);
    } catch (RuntimeException e) {
      runs.unregister(planId, run);
      throw e;
    }
  }

  private void runSteps(Running running, boolean rethrow) {
    UUID planId = running.planId();
    try {
      List<Step> steps =
          running.started().plan().steps().stream()
              .sorted(Comparator.comparingInt(Step::index))
              .toList();
      List<String> outputs = new ArrayList<>();
      for (Step step : steps) {
        if (running.run().isCancelled() || !runStep(running, steps, step, outputs)) {
          return;
        }
      }
      plans.complete(planId);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Execution of plan " + planId + " broke off", e);
      plans.fail(planId, "execution broke off: " + e.getMessage());
      if (rethrow) {
        throw e;
      }
    } finally {
      runs.unregister(planId, running.run());
    }
  }

  /** Runs one step; {@code false} when the plan ends with it (failed, or no longer RUNNING). */
  private boolean runStep(Running running, List<Step> steps, Step step, List<String> outputs) {
    UUID planId = running.planId();
    int index = step.index();
    String input;
    try {
      input = StepReferences.resolve(step.input(), outputs);
    } catch (IllegalArgumentException e) {
      if (plans.updateStep(planId, index, s -> s.start(step.input()))) {
        plans.failStep(planId, index, e.getMessage());
      }
      return false;
    }
    if (!plans.updateStep(planId, index, s -> s.start(input))) {
      return false;
    }
    String context = context(running.started().taskDescription(), steps, outputs);
    StepRunner.Outcome outcome = runner.run(step, input, context, running.run());
    if (outcome.cancelled()) {
      return false; // the cancel has marked the plan and this step already
    }
    if (outcome.interrupted()) {
      plans.interrupt(planId, STOPPED);
      return false;
    }
    if (outcome.failed()) {
      plans.failStep(planId, index, outcome.error());
      return false;
    }
    outputs.add(outcome.output());
    return plans.updateStep(planId, index, s -> s.succeed(outcome.output()));
  }

  /** What the task asks and what the earlier steps produced, for tools that give it to a model. */
  static String context(String task, List<Step> steps, List<String> outputs) {
    StringBuilder context = new StringBuilder("The task: ").append(task);
    if (!outputs.isEmpty()) {
      context.append("\n\nThe results of the plan's earlier steps:");
      for (int i = 0; i < outputs.size(); i++) {
        String output = outputs.get(i);
        if (output.length() > MAX_CONTEXT_OUTPUT_CHARS) {
          output = output.substring(0, MAX_CONTEXT_OUTPUT_CHARS) + " [cut]";
        }
        context
            .append("\n- step ")
            .append(i)
            .append(" (")
            .append(steps.get(i).description())
            .append("): ")
            .append(output);
      }
    }
    return context.toString();
  }

  private PlanView view(UUID planId) {
    return PlanView.of(plans.find(planId).orElseThrow(), directory);
  }
}
