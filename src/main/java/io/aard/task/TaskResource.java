package io.aard.task;

import io.aard.NotFound;
import io.aard.tracing.WorkContext;
import io.aard.web.ApiException;
import io.aard.web.JsonBody;
import io.aard.web.Params;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /api/tasks}: submit tasks, list and read them. Planning one is {@code
 * plan.PlanningResource}'s.
 */
@Path("tasks")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

  private static final int DEFAULT_LIMIT = 50;
  private static final int MAX_LIMIT = 500;

  @Inject TaskRepository tasks;
  @Inject TaskPlans plans;

  /** The body of {@code POST /api/tasks}; ids and statuses are not the client's to set. */
  public record CreateTask(String description) {

    private static final Set<String> FIELDS = Set.of("description");

    /**
     * Reads the body, refusing any field a client may not set and a description that is missing,
     * not a string, empty or blank, longer than {@value Task#MAX_DESCRIPTION_LENGTH} characters or
     * holding NUL (which PostgreSQL text cannot store).
     */
    static CreateTask from(JsonObject body) {
      for (String field : body.keySet()) {
        if (!FIELDS.contains(field)) {
          throw ApiException.badRequest(
              field, "unknown field '" + field + "': a task takes only a description");
        }
      }
      JsonValue description = body.get("description");
      if (description == null || description.getValueType() == JsonValue.ValueType.NULL) {
        throw ApiException.badRequest("description", "description is required");
      }
      if (description.getValueType() != JsonValue.ValueType.STRING) {
        throw ApiException.badRequest("description", "description must be a JSON string");
      }
      String text = ((JsonString) description).getString();
      if (text.isEmpty() || text.length() > Task.MAX_DESCRIPTION_LENGTH) {
        throw ApiException.badRequest(
            "description",
            "description must be 1 to " + Task.MAX_DESCRIPTION_LENGTH + " characters");
      }
      if (text.indexOf('\u0000') >= 0) {
        throw ApiException.badRequest("description", "description must not contain NUL characters");
      }
      if (text.isBlank()) {
        throw ApiException.badRequest("description", "description must not be blank");
      }
      return new CreateTask(text);
    }
  }

  /** A task as the API shows it. */
  public record TaskView(
      UUID id,
      String description,
      TaskStatus status,
      Instant createdAt,
      Instant updatedAt,
      List<UUID> planIds) {

    static TaskView of(Task task, List<UUID> planIds) {
      return new TaskView(
          task.id(),
          task.description(),
          task.status(),
          task.createdAt(),
          task.updatedAt(),
          planIds);
    }
  }

  /** The body of {@code GET /api/tasks}. */
  public record TaskList(List<TaskView> tasks) {}

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(InputStream json, @Context UriInfo uri) {
    CreateTask body = CreateTask.from(JsonBody.object(json, "{\"description\": \"...\"}"));
    Task task = tasks.create(body.description());
    WorkContext.stampCurrentSpan(task.id(), null);
    return Response.created(uri.getAbsolutePathBuilder().path(task.id().toString()).build())
        .entity(TaskView.of(task, List.of()))
        .build();
  }

  @GET
  public TaskList list(@QueryParam("status") String status, @QueryParam("limit") String limit) {
    List<Task> found =
        tasks.list(
            Params.enumValue("status", status, TaskStatus.class),
            Params.intInRange("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT));
    var planIds = plans.planIds(found.stream().map(Task::id).toList());
    return new TaskList(
        found.stream().map(t -> TaskView.of(t, planIds.getOrDefault(t.id(), List.of()))).toList());
  }

  @GET
  @Path("{task_id}")
  public TaskView get(@PathParam("task_id") String taskId) {
    UUID id = Params.uuid("task_id", taskId);
    // The reads run in the task's work context, so their database spans carry its id too.
    try (Scope work = WorkContext.enter(id, null)) {
      Task task = tasks.find(id).orElseThrow(() -> new NotFound("no task " + id));
      return TaskView.of(task, plans.planIds(id));
    }
  }
}
