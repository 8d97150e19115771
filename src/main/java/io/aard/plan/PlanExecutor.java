package io.aard.plan;

import io.aard.agent.AgentDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a plan's steps in order. The first failing step fails the plan; whatever happens, the plan
 * leaves RUNNING before this returns.
 */
@ApplicationScoped
public class PlanExecutor {

  private static final Logger LOG = Logger.getLogger(PlanExecutor.class.getName());

  @Inject PlanRepository plans;
  @Inject StepRunner runner;
  @Inject AgentDirectory directory;

  /**
   * Executes a DRAFT plan. The caller has entered the plan's {@link io.aard.tracing.WorkContext}.
   *
   * @throws io.aard.web.ApiException 404 for an unknown plan, 409 for a plan that is not DRAFT
   */
  public PlanView execute(UUID planId) {
    Plan plan = plans.start(planId);
    try {
      for (Step step : plan.steps()) {
        plans.updateStep(planId, step.index(), Step::start);
        StepRunner.Outcome outcome = runner.run(step);
        if (outcome.failed()) {
          plans.updateStep(planId, step.index(), s -> s.fail(outcome.error()));
          plans.fail(planId, "step " + step.index() + " failed: " + outcome.error());
          return view(planId);
        }
        plans.updateStep(planId, step.index(), s -> s.succeed(outcome.output()));
      }
      plans.complete(planId);
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Execution of plan " + planId + " broke off", e);
      plans.fail(planId, "execution broke off: " + e.getMessage());
      throw e;
    }
    return view(planId);
  }

  private PlanView view(UUID planId) {
    return PlanView.of(plans.find(planId).orElseThrow(), directory);
  }
}
