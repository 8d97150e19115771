package io.aard.plan;

import io.aard.tracing.WorkContext;
import io.aard.web.Params;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;

/**
 * {@code POST /api/tasks/{task_id}/plan}: plans a task. It sits under the task's path but belongs
 * to planning, so that the task feature need not know the planner.
 */
@Path("tasks/{task_id}/plan")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class PlanningResource {

  @Inject Planner planner;

  /** Answers 201 with the new DRAFT plan and its {@code Location} under {@code /api/plans}. */
  @POST
  public Response plan(@PathParam("task_id") String taskId, @Context UriInfo uri) {
    UUID id = Params.uuid("task_id", taskId);
    UUID planId = UUID.randomUUID();
    try (Scope work = WorkContext.enter(id, planId)) {
      PlanView plan = planner.generatePlan(id, planId);
      return Response.created(uri.getBaseUriBuilder().path("plans").path(planId.toString()).build())
          .entity(plan)
          .build();
    }
  }
}
