package io.aard.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import io.aard.testing.SpanTable;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * API keys on a server that has them ({@code AARD_API_KEYS} in the Ollama IT server's server.env,
 * the keys handed to the tests by the pom): who gets in, with what, and what they see otherwise.
 */
@ExtendWith(ArquillianExtension.class)
class ApiKeysWithOllamaIT {

  private static final String UNKNOWN_UUID = "00000000-0000-4000-8000-000000000000";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final String operatorKey = System.getProperty(Api.API_KEY_PROPERTY);
  private final String readerKey = System.getProperty("aard.it.reader.key");
  private final Api operator = new Api();
  private final Api reader = operator.withApiKey(readerKey);
  private final Api anonymous = operator.withApiKey(null);

  private static void assertUnauthorized(Reply reply) {
    assertEquals(401, reply.status(), reply.toString());
    assertTrue(reply.header("WWW-Authenticate").startsWith("Bearer"), reply.toString());
    assertTrue(reply.header("Content-Type").startsWith("application/json"), reply.toString());
    JsonObject error = reply.json();
    assertFalse(error.getString("error").isBlank());
    assertEquals("Authorization", error.getString("parameter"));
  }

  @Test
  void requestWithoutKeyIs401WithBearerChallenge() {
    Reply reply = anonymous.get("/api/tasks");
    assertUnauthorized(reply);
    assertEquals("Bearer realm=\"aard\"", reply.header("WWW-Authenticate"));
    assertTrue(reply.json().getString("error").contains("Authorization: Bearer"));
  }

  @Test
  void unknownKeyIs401InvalidToken() {
    Reply reply = operator.withApiKey("not-a-configured-key-000").get("/api/tasks");
    assertUnauthorized(reply);
    assertEquals(
        "Bearer realm=\"aard\", error=\"invalid_token\"", reply.header("WWW-Authenticate"));
  }

  @Test
  void otherSchemesAndMalformedHeadersAre401() {
    for (String header : List.of("Basic " + operatorKey, operatorKey, "Bearer", "Bearer  ")) {
      Reply reply =
          anonymous.send(
              HttpRequest.newBuilder(anonymous.uri("/api/tasks"))
                  .header("Authorization", header)
                  .GET());
      assertUnauthorized(reply);
    }
  }

  @Test
  void anonymousClientLearnsNothingAboutPathsOrMethods() {
    assertUnauthorized(anonymous.get("/api/nothing-here"));
    assertUnauthorized(anonymous.post("/api/tasks/" + UNKNOWN_UUID + "/plan"));
    assertUnauthorized(
        anonymous.post("/api/tasks", Json.createObjectBuilder().add("description", "x").build()));
  }

  @Test
  void readerMayReadEverything() {
    for (String path :
        List.of("/api/tasks", "/api/agents", "/api/tools", "/api/tasks/" + UNKNOWN_UUID)) {
      Reply reply = reader.get(path);
      assertNotEquals(401, reply.status(), path + " " + reply);
      assertNotEquals(403, reply.status(), path + " " + reply);
    }
    assertEquals(200, reader.get("/api/tasks").status());
    assertEquals(404, reader.get("/api/plans/" + UNKNOWN_UUID).status());
    int traces = reader.get("/api/traces/").status();
    assertTrue(traces != 401 && traces != 403, "traces: " + traces);
  }

  @Test
  void readerMayNotCreatePlanOrExecute() {
    String taskId = operator.createTask("Calculate 1 + 1");
    for (Reply reply :
        List.of(
            reader.post("/api/tasks", Json.createObjectBuilder().add("description", "x").build()),
            reader.post("/api/tasks/" + taskId + "/plan"),
            reader.post("/api/plans/" + UNKNOWN_UUID + "/execute"))) {
      assertEquals(403, reply.status(), reply.toString());
      assertTrue(reply.header("Content-Type").startsWith("application/json"));
      assertTrue(reply.json().getString("error").contains("operator key"), reply.toString());
      assertTrue(reply.json().isNull("parameter"), reply.toString());
      assertNull(reply.header("WWW-Authenticate"));
    }
    assertEquals(0, reader.get("/api/tasks/" + taskId).json().getJsonArray("plan_ids").size());
  }

  @Test
  void operatorMayCreateAndReachEveryResource() {
    Reply created =
        operator.post(
            "/api/tasks", Json.createObjectBuilder().add("description", "Calculate 2 + 2").build());
    assertEquals(201, created.status(), created.toString());
    assertEquals(404, operator.post("/api/tasks/" + UNKNOWN_UUID + "/plan").status());
    assertEquals(404, operator.post("/api/plans/" + UNKNOWN_UUID + "/execute").status());
  }

  @Test
  void healthAndViewerStayOpenAndReadinessSaysAuthIsOn() {
    Reply ready = anonymous.get("/health/ready");
    assertEquals(200, ready.status(), ready.toString());
    JsonObject security = check(ready.json(), "security");
    assertEquals("UP", security.getString("status"));
    assertEquals("on", security.getJsonObject("data").getString("auth"));
    assertEquals(1, security.getJsonObject("data").getInt("reader_keys"));
    assertEquals(1, security.getJsonObject("data").getInt("operator_keys"));
    assertFalse(ready.body().contains(operatorKey));
    assertFalse(ready.body().contains(readerKey));
    assertEquals(200, anonymous.get("/health/live").status());
    assertNotEquals(401, anonymous.get("/").status());
  }

  @Test
  void theKeyNeverReachesAStoredSpan() throws Exception {
    Reply reply = operator.get("/api/tasks?limit=1");
    assertEquals(200, reply.status());
    String traceId = reply.header("traceparent").split("-")[1];
    List<SpanTable.Row> rows =
        SpanTable.await(
            "SELECT attributes::text AS a, events::text AS e, resource::text AS r,"
                + " coalesce(status_message, '') AS m FROM execution_traces WHERE trace_id = ?",
            traceId,
            found -> !found.isEmpty(),
            Duration.ofSeconds(30));
    for (SpanTable.Row row : rows) {
      String all = String.join(" ", row.columns().values());
      assertFalse(all.contains(operatorKey), all);
      assertFalse(all.toLowerCase().contains("bearer"), all);
    }
  }

  private static JsonObject check(JsonObject health, String name) {
    return health.getJsonArray("checks").stream()
        .map(c -> c.asJsonObject())
        .filter(c -> c.getString("name").equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no check " + name + " in " + health));
  }
}
