package io.aard.plan;

import io.aard.agent.AgentDirectory;
import io.aard.tracing.WorkContext;
import io.aard.web.ApiException;
import io.aard.web.Params;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/** {@code /api/plans}: read a plan, execute it. */
@Path("plans")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class PlanResource {

  @Inject PlanRepository plans;
  @Inject PlanExecutor executor;
  @Inject AgentDirectory directory;

  @GET
  @Path("{plan_id}")
  public PlanView get(@PathParam("plan_id") String planId) {
    UUID id = Params.uuid("plan_id", planId);
    Plan plan = plans.find(id).orElseThrow(() -> ApiException.notFound("no plan " + id));
    WorkContext.stampCurrentSpan(plan.taskId(), id);
    return PlanView.of(plan, directory);
  }

  @POST
  @Path("{plan_id}/execute")
  public PlanView execute(@PathParam("plan_id") String planId) {
    UUID id = Params.uuid("plan_id", planId);
    UUID taskId = plans.taskIdOf(id).orElseThrow(() -> ApiException.notFound("no plan " + id));
    try (Scope work = WorkContext.enter(taskId, id)) {
      return executor.execute(id);
    }
  }
}
