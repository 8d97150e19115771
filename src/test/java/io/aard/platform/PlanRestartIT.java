package io.aard.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import io.aard.testing.LibertyServer;
import io.aard.testing.TrickleServer;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A plan whose server stops or dies in the middle does not stay RUNNING. The test starts a server
 * of its own ({@code aardRestartIT}, the WAR in its dropins/) on the database of the builtin test
 * server, so the two are two instances on one PostgreSQL: a plan runs on the first, the first stops
 * (gracefully, or is killed), and the plan is FAILED "interrupted: ..." once it is clear no server
 * runs it; a cancel sent to the other instance reaches the run too.
 */
@ExtendWith(ArquillianExtension.class)
class PlanRestartIT {

  // Deployed to the builtin test server, which must be up: it is the other instance.
  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private static final Duration START = Duration.ofSeconds(120);
  private static final String SERVER =
      System.getProperty("aard.it.restart.server", "aardRestartIT");
  private static final LibertyServer LIBERTY = new LibertyServer(SERVER, START, "restart");
  private static final Api RESTARTED =
      new Api("http://localhost:" + Integer.getInteger("aard.it.restart.http.port", 9380));

  /** The builtin test server, the other instance on the same database. */
  private final Api other = new Api();

  private TrickleServer trickle;

  @BeforeEach
  void start() throws Exception {
    trickle = new TrickleServer(Duration.ofSeconds(300));
    server("start");
    awaitReady();
  }

  @AfterEach
  void stop() throws Exception {
    server("stop");
    trickle.close();
  }

  @Test
  void aPlanRunningWhenItsServerStopsIsInterruptedAndStaysSoAfterARestart() throws Exception {
    String planId = startSlowPlan();

    server("stop");
    server("start");
    awaitReady();

    JsonObject plan = RESTARTED.get("/api/plans/" + planId).json();
    assertEquals("FAILED", plan.getString("status"), plan.toString());
    assertTrue(
        plan.getString("error").startsWith("interrupted: the server running it stopped"),
        plan.toString());
    assertEquals("FAILED", step(plan, 0).getString("status"));
    assertEquals("PENDING", step(plan, 1).getString("status"));
    assertEquals(
        "FAILED",
        RESTARTED.get("/api/tasks/" + plan.getString("task_id")).json().getString("status"));
  }

  @Test
  void aPlanWhoseServerWasKilledIsInterruptedByAnotherInstance() throws Exception {
    String planId = startSlowPlan();

    kill();

    JsonObject plan = awaitPlan(other, planId, "FAILED", Duration.ofSeconds(90));
    assertTrue(
        plan.getString("error").startsWith("interrupted: no server runs it"), plan.toString());
    assertEquals("FAILED", step(plan, 0).getString("status"));
  }

  @Test
  void aCancelSentToAnotherInstanceStopsTheRun() throws Exception {
    String planId = startSlowPlan();

    Reply cancelled = other.post("/api/plans/" + planId + "/cancel");

    assertEquals(200, cancelled.status(), cancelled.body());
    // The running instance learns of it from its supervisor, within a heartbeat, and stops the
    // step: no later step starts, and the run's own writes do not undo the cancel.
    await()
        .during(Duration.ofSeconds(8))
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              JsonObject plan = RESTARTED.get("/api/plans/" + planId).json();
              return plan.getString("status").equals("CANCELLED")
                  && step(plan, 1).getString("status").equals("PENDING");
            });
  }

  private String startSlowPlan() {
    String url = trickle.slowUrl();
    String taskId = RESTARTED.createTask("Fetch " + url + ", then count the words in 'a b c'");
    String planId = RESTARTED.post("/api/tasks/" + taskId + "/plan").json().getString("id");
    Reply accepted =
        RESTARTED.send(
            HttpRequest.newBuilder(RESTARTED.uri("/api/plans/" + planId + "/execute"))
                .header("Prefer", "respond-async")
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertEquals(202, accepted.status(), accepted.body());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                step(RESTARTED.get("/api/plans/" + planId).json(), 0)
                    .getString("status")
                    .equals("RUNNING"));
    return planId;
  }

  private static JsonObject awaitPlan(Api api, String planId, String status, Duration atMost) {
    JsonObject[] last = new JsonObject[1];
    await()
        .atMost(atMost)
        .alias("plan " + planId + " becomes " + status)
        .until(
            () -> {
              last[0] = api.get("/api/plans/" + planId).json();
              return last[0].getString("status").equals(status);
            });
    return last[0];
  }

  private static JsonObject step(JsonObject plan, int index) {
    return plan.getJsonArray("steps").getJsonObject(index);
  }

  private static void awaitReady() {
    await()
        .atMost(START)
        .ignoreExceptions()
        .until(() -> RESTARTED.get("/health/ready").status() == 200);
  }

  private static void server(String action) throws IOException, InterruptedException {
    LIBERTY.run(action);
  }

  private static void kill() throws Exception {
    LIBERTY.kill();
  }
}
