package io.aard.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import io.aard.testing.SpanTable;
import io.aard.testing.TrickleServer;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How a plan runs, on a real Liberty and PostgreSQL with the builtin planner: results flowing from
 * step to step, background runs with {@code Prefer: respond-async}, their events, cancel, the step
 * timeout ({@code STEP_TIMEOUT_SECONDS=8} on this server), plans whose server is gone, and the
 * transitions a task refuses. A slow step is an {@code http_get} of a local server that sends one
 * byte a second.
 */
@ExtendWith(ArquillianExtension.class)
class PlanRunsIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final Api api = new Api();
  private TrickleServer trickle;

  @BeforeEach
  void startTrickleServer() throws IOException {
    trickle = new TrickleServer(Duration.ofSeconds(120));
  }

  @AfterEach
  void stopTrickleServer() {
    trickle.close();
  }

  private String slowUrl() {
    return trickle.slowUrl();
  }

  @Test
  void aStepUsesTheResultOfTheStepBeforeIt() {
    JsonObject plan = plan("Compute 17 * 23, then write one sentence about the result");
    JsonObject last = plan.getJsonArray("steps").getJsonObject(1);
    assertEquals(
        "Write one sentence about the result (step 0: {{steps.0.output}})",
        last.getString("input"));

    JsonObject done = api.post("/api/plans/" + plan.getString("id") + "/execute").json();

    assertEquals("COMPLETED", done.getString("status"), done.toString());
    JsonObject first = done.getJsonArray("steps").getJsonObject(0);
    assertEquals("391", first.getString("output"));
    assertEquals("17 * 23", first.getString("resolved_input"));
    JsonObject second = done.getJsonArray("steps").getJsonObject(1);
    assertEquals(
        "Write one sentence about the result (step 0: 391)", second.getString("resolved_input"));
    assertTrue(second.getString("output").contains("391"), second.getString("output"));
  }

  @Test
  void respondAsyncAnswers202AndThePlanCompletesInTheRequestsTrace() throws Exception {
    JsonObject plan = plan(PlatformIT.WALK_THROUGH);
    String planId = plan.getString("id");

    Reply accepted = executeAsync(planId);

    assertEquals(202, accepted.status(), accepted.body());
    assertTrue(accepted.header("Location").endsWith("/api/plans/" + planId), accepted.toString());
    assertEquals("respond-async", accepted.header("Preference-Applied"));
    String status = accepted.json().getString("status");
    assertTrue(status.equals("RUNNING") || status.equals("COMPLETED"), status);
    JsonObject done = awaitPlan(planId, "COMPLETED");
    JsonArray steps = done.getJsonArray("steps");
    assertEquals("126", steps.getJsonObject(0).getString("output"));
    assertEquals("4", steps.getJsonObject(1).getString("output"));
    String summary = steps.getJsonObject(2).getString("output");
    assertTrue(summary.contains("126") && summary.contains("4"), summary);
    assertEquals(
        "COMPLETED", api.get("/api/tasks/" + plan.getString("task_id")).json().getString("status"));

    String traceId = accepted.header("traceparent").split("-")[1];
    List<SpanTable.Row> spans =
        SpanTable.await(
            "SELECT operation_name, parent_span_id, plan_id::text FROM execution_traces"
                + " WHERE trace_id = ? ORDER BY start_time",
            traceId,
            rows ->
                rows.stream()
                        .filter(r -> r.get("operation_name").equals("execution.execute_step"))
                        .count()
                    == 3,
            PATIENCE);
    SpanTable.Row server = spans.get(0);
    assertNull(
        server.get("parent_span_id"), "the execute request's server span is the root: " + spans);
    for (SpanTable.Row span : spans) {
      assertEquals(planId, span.get("plan_id"), span.toString());
    }
  }

  @Test
  void eventsFollowEveryStepAndEndWithThePlan() throws Exception {
    String planId = plan(PlatformIT.WALK_THROUGH).getString("id");
    assertEquals(202, executeAsync(planId).status());

    HttpResponse<java.util.stream.Stream<String>> stream =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .build()
            .send(
                HttpRequest.newBuilder(api.uri("/api/plans/" + planId + "/events"))
                    .header("Accept", "text/event-stream")
                    .timeout(PATIENCE)
                    .build(),
                HttpResponse.BodyHandlers.ofLines());

    assertEquals(200, stream.statusCode());
    List<String> names = new ArrayList<>();
    List<JsonObject> data = new ArrayList<>();
    stream
        .body()
        .forEach(
            line -> {
              if (line.startsWith("event:")) {
                names.add(line.substring(6).strip());
              } else if (line.startsWith("data:")) {
                data.add(
                    Json.createReader(new StringReader(line.substring(5).strip())).readObject());
              }
            });
    assertEquals(
        List.of(
            "step_started",
            "step_finished",
            "step_started",
            "step_finished",
            "step_started",
            "step_finished",
            "plan_finished"),
        names);
    assertEquals(1, data.get(2).getInt("index"));
    assertEquals("DONE", data.get(3).getString("status"));
    assertEquals("4", data.get(3).getString("output"));
    assertEquals("COMPLETED", data.get(6).getString("status"));
  }

  @Test
  void eventsOfAnUnknownPlanAre404() {
    Reply reply =
        api.send(
            HttpRequest.newBuilder(api.uri("/api/plans/" + UUID.randomUUID() + "/events"))
                .header("Accept", "text/event-stream")
                .GET());
    assertEquals(404, reply.status(), reply.body());
    assertTrue(reply.json().getString("error").startsWith("no plan"), reply.body());
  }

  @Test
  void cancelStopsARunningPlanAndNoLaterStepStarts() throws Exception {
    JsonObject plan = plan("Fetch " + slowUrl() + ", then count the words in 'a b c'");
    String planId = plan.getString("id");
    assertEquals(202, executeAsync(planId).status());
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                step(api.get("/api/plans/" + planId).json(), 0)
                    .getString("status")
                    .equals("RUNNING"));

    long asked = System.nanoTime();
    Reply cancelled = api.post("/api/plans/" + planId + "/cancel");

    assertEquals(200, cancelled.status(), cancelled.body());
    assertEquals("CANCELLED", cancelled.json().getString("status"));
    JsonObject after = api.get("/api/plans/" + planId).json();
    assertEquals("CANCELLED", after.getString("status"));
    assertEquals("CANCELLED", step(after, 0).getString("status"));
    assertEquals("PENDING", step(after, 1).getString("status"), "no later step starts");
    assertEquals(
        "CANCELLED", api.get("/api/tasks/" + plan.getString("task_id")).json().getString("status"));
    assertTrue(
        Duration.ofNanos(System.nanoTime() - asked).toSeconds() < 5, "the cancel answered at once");

    Reply again = api.post("/api/plans/" + planId + "/cancel");
    assertEquals(409, again.status(), again.body());
    assertTrue(again.json().getString("error").contains("has ended (CANCELLED)"), again.body());
    assertEquals(404, api.post("/api/plans/" + UUID.randomUUID() + "/cancel").status());

    List<SpanTable.Row> steps =
        SpanTable.await(
            "SELECT attributes->>'aard.step.status' AS step_status, status FROM execution_traces"
                + " WHERE plan_id = ? AND operation_name = 'execution.execute_step'",
            planId,
            rows -> !rows.isEmpty(),
            PATIENCE);
    assertEquals("CANCELLED", steps.get(0).get("step_status"), "the step's span says so");
    // The run saw the cancel and ended: the plan stays as the cancel left it.
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                step(api.get("/api/plans/" + planId).json(), 1)
                    .getString("status")
                    .equals("PENDING"));
  }

  @Test
  void aStepThatOverrunsTheStepTimeoutFailsTheSyncRequestInTime() {
    JsonObject plan = plan("Fetch " + slowUrl());
    long started = System.nanoTime();

    Reply executed = api.post("/api/plans/" + plan.getString("id") + "/execute");

    assertEquals(200, executed.status(), executed.body());
    JsonObject done = executed.json();
    assertEquals("FAILED", done.getString("status"), done.toString());
    String error = step(done, 0).getString("error");
    assertTrue(error.contains("did not finish within 8 s (STEP_TIMEOUT_SECONDS)"), error);
    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
    assertTrue(seconds < 20, "ended by the step timeout, not the tool's 30 s: " + seconds + " s");
  }

  @Test
  void aPlanWhoseServerStoppedSendingHeartbeatsIsMarkedInterrupted() throws Exception {
    JsonObject plan = plan("Compute 1 + 1, then count the words in 'a b'");
    String planId = plan.getString("id");
    String taskId = plan.getString("task_id");
    UUID gone = UUID.randomUUID();
    // What a server that crashed in the middle of the plan leaves behind.
    try (Connection c = SpanTable.connect()) {
      try (PreparedStatement s =
          c.prepareStatement(
              "INSERT INTO instances (id, host, started_at, heartbeat_at)"
                  + " VALUES (?::uuid, 'crashed-host', now() - interval '10 minutes',"
                  + " now() - interval '5 minutes')")) {
        s.setString(1, gone.toString());
        s.executeUpdate();
      }
      execute(c, "UPDATE tasks SET status = 'RUNNING' WHERE id = ?::uuid", taskId);
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE plans SET status = 'RUNNING', started_at = now(), runner_instance = ?::uuid"
                  + " WHERE id = ?::uuid")) {
        s.setString(1, gone.toString());
        s.setString(2, planId);
        s.executeUpdate();
      }
      execute(
          c,
          "UPDATE plan_steps SET status = 'RUNNING', started_at = now(), resolved_input = input"
              + " WHERE plan_id = ?::uuid AND step_index = 0",
          planId);
    }

    JsonObject failed = awaitPlan(planId, "FAILED");

    assertTrue(failed.getString("error").startsWith("interrupted: "), failed.toString());
    assertEquals("FAILED", step(failed, 0).getString("status"));
    assertEquals("PENDING", step(failed, 1).getString("status"));
    assertEquals("FAILED", api.get("/api/tasks/" + taskId).json().getString("status"));
    Reply execute = api.post("/api/plans/" + planId + "/execute");
    assertEquals(409, execute.status(), "an interrupted plan is not run again: " + execute.body());
  }

  @Test
  void aTaskWithARunningPlanRefusesANewPlanAndASecondRun() {
    String taskId = api.createTask("Fetch " + slowUrl());
    String first = api.post("/api/tasks/" + taskId + "/plan").json().getString("id");
    String second = api.post("/api/tasks/" + taskId + "/plan").json().getString("id");
    assertEquals(202, executeAsync(first).status());

    Reply replan = api.post("/api/tasks/" + taskId + "/plan");
    assertEquals(409, replan.status(), replan.body());
    assertTrue(replan.json().getString("error").contains("has a plan running"), replan.body());
    Reply race = api.post("/api/plans/" + second + "/execute");
    assertEquals(409, race.status(), race.body());
    assertTrue(race.json().getString("error").contains("already has a plan running"), race.body());
    assertEquals("DRAFT", api.get("/api/plans/" + second).json().getString("status"));

    assertEquals(200, api.post("/api/plans/" + first + "/cancel").status());
    assertEquals(
        201, api.post("/api/tasks/" + taskId + "/plan").status(), "planning again once it ended");
  }

  @Test
  void aDraftPlanCanBeCancelledAndThenNotRun() {
    String planId = plan("Compute 2 + 2").getString("id");

    assertEquals(
        "CANCELLED", api.post("/api/plans/" + planId + "/cancel").json().getString("status"));
    assertEquals(409, api.post("/api/plans/" + planId + "/execute").status());
  }

  private JsonObject plan(String description) {
    String taskId = api.createTask(description);
    Reply planned = api.post("/api/tasks/" + taskId + "/plan");
    assertEquals(201, planned.status(), planned.body());
    return planned.json();
  }

  private Reply executeAsync(String planId) {
    return api.send(
        HttpRequest.newBuilder(api.uri("/api/plans/" + planId + "/execute"))
            .header("Prefer", "respond-async")
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  private JsonObject awaitPlan(String planId, String status) {
    List<JsonObject> last = new ArrayList<>(List.of(Json.createObjectBuilder().build()));
    await()
        .atMost(PATIENCE.multipliedBy(2))
        .alias("plan " + planId + " becomes " + status)
        .until(
            () -> {
              last.set(0, api.get("/api/plans/" + planId).json());
              return last.get(0).getString("status").equals(status);
            });
    assertNotNull(last.get(0));
    return last.get(0);
  }

  private static JsonObject step(JsonObject plan, int index) {
    return plan.getJsonArray("steps").getJsonObject(index);
  }

  private static void execute(Connection c, String sql, String parameter) throws Exception {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, parameter);
      s.executeUpdate();
    }
  }
}
