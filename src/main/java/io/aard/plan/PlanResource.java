package io.aard.plan;

import io.aard.AardException;
import io.aard.NotFound;
import io.aard.registry.AgentDirectory;
import io.aard.tracing.DatabaseSpans;
import io.aard.tracing.WorkContext;
import io.aard.web.Params;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;

/** {@code /api/plans}: read a plan, execute it (at once or in the background), follow, cancel. */
@Path("plans")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class PlanResource {

  /** The preference (RFC 7240) that asks for a background run. */
  static final String RESPOND_ASYNC = "respond-async";

  @Inject PlanRepository plans;
  @Inject PlanExecutor executor;
  @Inject PlanEvents events;
  @Inject PlanRuns runs;
  @Inject AgentDirectory directory;

  @GET
  @Path("{plan_id}")
  public PlanView get(@PathParam("plan_id") String planId) {
    UUID id = Params.uuid("plan_id", planId);
    Plan plan = plans.find(id).orElseThrow(() -> new NotFound("no plan " + id));
    WorkContext.stampCurrentSpan(plan.taskId(), id);
    return PlanView.of(plan, directory);
  }

  /**
   * Runs a DRAFT plan: without a preference, answers 200 with the plan once it has ended; with
   * {@code Prefer: respond-async}, answers 202 at once with the plan RUNNING and {@code Location}
   * to poll, or {@code /events} to follow.
   */
  @POST
  @Path("{plan_id}/execute")
  public Response execute(
      @PathParam("plan_id") String planId,
      @HeaderParam("Prefer") String prefer,
      @Context UriInfo uri) {
    UUID id = Params.uuid("plan_id", planId);
    UUID taskId;
    taskId = taskOf(id);
    try (Scope work = WorkContext.enter(taskId, id)) {
      if (!prefersAsync(prefer)) {
        return Response.ok(executor.execute(id)).build();
      }
      PlanView started = executor.start(id);
      return Response.accepted(started)
          .location(uri.getBaseUriBuilder().path("plans").path(id.toString()).build())
          .header("Preference-Applied", RESPOND_ASYNC)
          .build();
    }
  }

  /**
   * Cancels a DRAFT or RUNNING plan: no later step starts, the running step's tool call is
   * interrupted where it can be, and the plan ends CANCELLED.
   */
  @POST
  @Path("{plan_id}/cancel")
  public PlanView cancel(@PathParam("plan_id") String planId) {
    UUID id = Params.uuid("plan_id", planId);
    String reason = "cancelled by a client";
    Plan plan = plans.cancel(id, reason);
    WorkContext.stampCurrentSpan(plan.taskId(), id);
    // The run, if it is here; another instance's supervisor finds the cancel within seconds.
    runs.cancel(id, reason);
    return PlanView.of(plan, directory);
  }

  /** The plan's progress as Server-Sent Events, until it ends; see {@link PlanEvents}. */
  @GET
  @Path("{plan_id}/events")
  @Produces(MediaType.SERVER_SENT_EVENTS)
  public void events(
      @PathParam("plan_id") String planId, @Context SseEventSink sink, @Context Sse sse) {
    UUID id = Params.uuid("plan_id", planId);
    UUID taskId;
    taskId = taskOf(id);
    WorkContext.stampCurrentSpan(taskId, id);
    if (!events.stream(id, sink, sse)) {
      throw new AardException(
          AardException.Category.UNAVAILABLE,
          "too many event streams are open; poll the plan instead");
    }
  }

  /**
   * The plan's task, found only so that every span of the request carries the task id (and the task
   * as {@code gen_ai.conversation.id}): the observer's own statement, so not a span itself, since
   * it could not carry the id it finds.
   *
   * @throws NotFound for an unknown plan
   */
  private UUID taskOf(UUID planId) {
    try (Scope untraced = DatabaseSpans.untraced()) {
      return plans.taskIdOf(planId).orElseThrow(() -> new NotFound("no plan " + planId));
    }
  }

  /** Whether a {@code Prefer} header asks for {@value #RESPOND_ASYNC} among its preferences. */
  static boolean prefersAsync(String prefer) {
    return prefer != null
        && Arrays.stream(prefer.split(","))
            .map(p -> p.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
            .anyMatch(RESPOND_ASYNC::equals);
  }
}
