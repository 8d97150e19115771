package io.aard.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpClient;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The agent platform API of docs/api.md §3 on a real Liberty and PostgreSQL, builtin planner. */
@ExtendWith(ArquillianExtension.class)
class PlatformIT {

  static final String WALK_THROUGH =
      "Calculate (17.5 + 24.5) * 3, then count the words in 'agents need observable plans', "
          + "then write a one-line summary of the results.";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final Api api = new Api();

  /**
   * Java's HttpClient asks for an h2c upgrade on every plain-HTTP request: the viewer's page, its
   * files and a missing file still answer (Liberty used to leave such requests hanging).
   */
  @Test
  void staticFilesAnswerAClientThatAsksForHttp2() {
    Reply page = api.get("/");
    assertEquals(200, page.status());
    assertEquals(HttpClient.Version.HTTP_1_1, page.raw().version(), "no h2c upgrade is offered");
    assertTrue(page.body().contains("<html"), page.body());
    assertEquals(200, api.get("/js/api.js").status());
    assertEquals(404, api.get("/js/no-such-file.js").status());
  }

  @Test
  void walkThroughTaskIsPlannedAndExecuted() {
    Reply created =
        api.post("/api/tasks", Json.createObjectBuilder().add("description", WALK_THROUGH).build());
    assertEquals(201, created.status(), created.body());
    JsonObject task = created.json();
    String taskId = task.getString("id");
    assertEquals("CREATED", task.getString("status"));
    assertTrue(created.header("Location").endsWith("/api/tasks/" + taskId));
    assertTrue(task.getString("created_at").endsWith("Z"));

    Reply planned = api.post("/api/tasks/" + taskId + "/plan");
    assertEquals(201, planned.status(), planned.body());
    JsonObject plan = planned.json();
    String planId = plan.getString("id");
    assertEquals("DRAFT", plan.getString("status"));
    assertEquals(taskId, plan.getString("task_id"));
    assertEquals("builtin", plan.getString("provider"));
    var steps = plan.getJsonArray("steps");
    assertEquals(3, steps.size(), plan.toString());
    assertEquals("calculator", steps.getJsonObject(0).getString("tool_name"));
    assertEquals("analyst", steps.getJsonObject(0).getString("agent_name"));
    assertEquals("text", steps.getJsonObject(1).getString("tool_name"));
    assertEquals("llm", steps.getJsonObject(2).getString("tool_name"));
    steps.forEach(s -> assertEquals("PENDING", s.asJsonObject().getString("status")));

    Reply executed = api.post("/api/plans/" + planId + "/execute");
    assertEquals(200, executed.status(), executed.body());
    JsonObject result = executed.json();
    assertEquals("COMPLETED", result.getString("status"), result.toString());
    var done = result.getJsonArray("steps");
    assertEquals("126", done.getJsonObject(0).getString("output"));
    assertEquals("4", done.getJsonObject(1).getString("output"));
    assertFalse(done.getJsonObject(2).getString("output").isBlank());
    done.forEach(
        s -> {
          assertEquals("DONE", s.asJsonObject().getString("status"));
          assertNotNull(s.asJsonObject().getString("finished_at"));
        });

    JsonObject storedTask = api.get("/api/tasks/" + taskId).json();
    assertEquals("COMPLETED", storedTask.getString("status"));
    assertEquals(List.of(Json.createValue(planId)), storedTask.getJsonArray("plan_ids"));
    assertEquals("COMPLETED", api.get("/api/plans/" + planId).json().getString("status"));
  }

  @Test
  void failingStepFailsStepAndPlanAndLeavesNothingRunning() {
    String taskId =
        api.createTask("Calculate 10 / (5 - 5), then count the words in 'never reached'");
    JsonObject plan = api.post("/api/tasks/" + taskId + "/plan").json();
    Reply executed = api.post("/api/plans/" + plan.getString("id") + "/execute");
    assertEquals(200, executed.status(), executed.body());
    JsonObject result = executed.json();
    assertEquals("FAILED", result.getString("status"));
    assertTrue(result.getString("error").contains("division by zero"), result.toString());
    JsonObject first = result.getJsonArray("steps").getJsonObject(0);
    assertEquals("FAILED", first.getString("status"));
    assertTrue(first.getString("error").contains("division by zero"));
    assertEquals("PENDING", result.getJsonArray("steps").getJsonObject(1).getString("status"));
    assertEquals("FAILED", api.get("/api/tasks/" + taskId).json().getString("status"));
  }

  @Test
  void aPlanRunsOnlyOnce() {
    String taskId = api.createTask("Calculate 2 ^ 10");
    String planId = api.post("/api/tasks/" + taskId + "/plan").json().getString("id");
    assertEquals(200, api.post("/api/plans/" + planId + "/execute").status());
    Reply again = api.post("/api/plans/" + planId + "/execute");
    assertEquals(409, again.status());
    assertTrue(again.json().getString("error").contains("COMPLETED"));
  }

  @Test
  void aClientCannotSetIdsOrStatuses() {
    Reply reply =
        api.post(
            "/api/tasks",
            Json.createObjectBuilder().add("description", "x").add("status", "COMPLETED").build());
    assertEquals(400, reply.status(), reply.body());
    assertEquals("status", reply.json().getString("parameter"));
  }

  @Test
  void badTaskBodiesGetJsonErrorsNamingTheField() {
    assertBadRequest(api.post("/api/tasks", Json.createObjectBuilder().build()), "description");
    assertBadRequest(
        api.post("/api/tasks", Json.createObjectBuilder().add("description", "").build()),
        "description");
    assertBadRequest(
        api.post(
            "/api/tasks",
            Json.createObjectBuilder().add("description", "x".repeat(10_001)).build()),
        "description");
    Reply notJson = api.post("/api/tasks", "{\"description\": ", "application/json");
    assertEquals(400, notJson.status(), notJson.body());
    assertNoStackTrace(notJson);
    Reply wrongType = api.post("/api/tasks", "description=x", "text/plain");
    assertEquals(415, wrongType.status(), wrongType.body());
    assertNoStackTrace(wrongType);
  }

  @Test
  void malformedIdsAre400AndUnknownIds404() {
    assertBadRequest(api.get("/api/tasks/not-a-uuid"), "task_id");
    assertBadRequest(api.get("/api/plans/42"), "plan_id");
    assertBadRequest(api.post("/api/plans/%27%3B%20drop/execute"), "plan_id");
    Reply unknownTask = api.get("/api/tasks/00000000-0000-4000-8000-000000000000");
    assertEquals(404, unknownTask.status());
    assertNoStackTrace(unknownTask);
    assertEquals(404, api.post("/api/tasks/00000000-0000-4000-8000-000000000000/plan").status());
    assertEquals(404, api.post("/api/plans/00000000-0000-4000-8000-000000000000/execute").status());
    assertEquals(404, api.get("/api/nothing-here").status());
  }

  @Test
  void tasksAreListedNewestFirstAndFilteredByStatus() {
    String older = api.createTask("Calculate 1 + 1");
    String newer = api.createTask("Calculate 2 + 2");
    var tasks = api.get("/api/tasks?limit=500").array("tasks");
    int olderAt = indexOf(tasks, older);
    int newerAt = indexOf(tasks, newer);
    assertTrue(newerAt >= 0 && olderAt > newerAt, "newest first");
    var created = api.get("/api/tasks?status=created&limit=500").array("tasks");
    created.forEach(t -> assertEquals("CREATED", t.asJsonObject().getString("status")));
    assertEquals(1, api.get("/api/tasks?limit=1").array("tasks").size());
    assertBadRequest(api.get("/api/tasks?limit=0"), "limit");
    assertBadRequest(api.get("/api/tasks?limit=501"), "limit");
    assertBadRequest(api.get("/api/tasks?limit=ten"), "limit");
    assertBadRequest(api.get("/api/tasks?status=DONE"), "status");
  }

  @Test
  void registriesListAgentsWithTheirToolsAndTools() {
    var agents = api.get("/api/agents").array("agents");
    assertEquals(3, agents.size());
    JsonObject analyst =
        agents.stream()
            .map(a -> a.asJsonObject())
            .filter(a -> a.getString("name").equals("analyst"))
            .findFirst()
            .orElseThrow();
    assertEquals(2, analyst.getJsonArray("tools").size());
    var tools = api.get("/api/tools").array("tools");
    assertEquals(
        List.of("calculator", "http_get", "llm", "text"),
        tools.stream().map(t -> t.asJsonObject().getString("name")).toList());
  }

  @Test
  void httpGetRefusesAHostThatIsNotAllowed() {
    String taskId = api.createTask("Fetch https://example.com/secrets");
    JsonObject plan = api.post("/api/tasks/" + taskId + "/plan").json();
    assertEquals("http_get", plan.getJsonArray("steps").getJsonObject(0).getString("tool_name"));
    JsonObject result = api.post("/api/plans/" + plan.getString("id") + "/execute").json();
    assertEquals("FAILED", result.getString("status"));
    assertTrue(result.getString("error").contains("example.com"), result.toString());
  }

  @Test
  void readinessIsUpWithTheDatabase() {
    Reply ready = api.get("/health/ready");
    assertEquals(200, ready.status(), ready.body());
    assertEquals("UP", ready.json().getString("status"));
  }

  private static int indexOf(jakarta.json.JsonArray tasks, String id) {
    for (int i = 0; i < tasks.size(); i++) {
      if (tasks.getJsonObject(i).getString("id").equals(id)) {
        return i;
      }
    }
    return -1;
  }

  static void assertBadRequest(Reply reply, String parameter) {
    assertEquals(400, reply.status(), reply.body());
    assertEquals(parameter, reply.json().getString("parameter"), reply.body());
    assertFalse(reply.json().getString("error").isBlank());
    assertNoStackTrace(reply);
  }

  static void assertNoStackTrace(Reply reply) {
    assertTrue(reply.header("Content-Type").startsWith("application/json"), reply.toString());
    assertFalse(reply.body().contains("Exception"), reply.body());
    assertFalse(reply.body().contains("\tat "), reply.body());
  }
}
