package io.aard.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The builtin IT server has no {@code AARD_API_KEYS}: it is open, says so, and still enforces the
 * request size limits.
 */
@ExtendWith(ArquillianExtension.class)
class OpenServerIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final Api api = new Api();

  @Test
  void withoutKeysTheApiIsOpen() {
    assertEquals(200, api.get("/api/tasks?limit=1").status());
    String taskId = api.createTask("Calculate 3 * 3");
    assertEquals(201, api.post("/api/tasks/" + taskId + "/plan").status());
  }

  @Test
  void readinessReportsAuthOff() {
    Reply ready = api.get("/health/ready");
    assertEquals(200, ready.status(), ready.toString());
    JsonObject security =
        ready.json().getJsonArray("checks").stream()
            .map(c -> c.asJsonObject())
            .filter(c -> c.getString("name").equals("security"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no security check: " + ready));
    assertEquals("UP", security.getString("status"));
    assertEquals("off", security.getJsonObject("data").getString("auth"));
  }

  @Test
  void startWithoutKeysIsLoggedAtWarning() throws IOException {
    Path log =
        Path.of(
            System.getProperty("aard.it.wlp.home"),
            "usr",
            "servers",
            System.getProperty("aard.it.server"),
            "logs",
            "messages.log");
    List<String> warnings =
        Files.readAllLines(log, StandardCharsets.UTF_8).stream()
            .filter(line -> line.contains("AARD is open: AARD_API_KEYS is not set"))
            .toList();
    assertFalse(warnings.isEmpty(), "no warning in " + log);
    assertTrue(warnings.get(warnings.size() - 1).contains(" W "), warnings.toString());
  }

  @Test
  void bodyOver64KiBIs413() {
    String description = "x".repeat(70 * 1024);
    Reply reply =
        api.post("/api/tasks", Json.createObjectBuilder().add("description", description).build());
    assertEquals(413, reply.status(), reply.body());
    assertEquals("body", reply.json().getString("parameter"));
    assertTrue(reply.header("Content-Type").startsWith("application/json"));
  }

  @Test
  void chunkedBodyOver64KiBIs413() {
    byte[] body =
        ("{\"description\": \"" + "y".repeat(70 * 1024) + "\"}").getBytes(StandardCharsets.UTF_8);
    Reply reply =
        api.send(
            HttpRequest.newBuilder(api.uri("/api/tasks"))
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(body))));
    assertEquals(413, reply.status(), reply.body());
  }

  @Test
  void bodyJustUnderTheLimitIsReadAsUsual() {
    Reply reply =
        api.post(
            "/api/tasks",
            Json.createObjectBuilder().add("description", "z".repeat(10_000)).build());
    assertEquals(201, reply.status(), reply.body());
  }

  @Test
  void queryValueOver1024CharsIs400NamingIt() {
    Reply reply = api.get("/api/tasks?status=" + "C".repeat(1025));
    assertEquals(400, reply.status(), reply.body());
    assertEquals("status", reply.json().getString("parameter"));
    assertTrue(reply.json().getString("error").contains("1024"));
  }

  @Test
  void moreThan100QueryValuesIs400() {
    StringBuilder query = new StringBuilder("/api/tasks?limit=1");
    for (int i = 0; i < 100; i++) {
      query.append("&x=").append(i);
    }
    Reply reply = api.get(query.toString());
    assertEquals(400, reply.status(), reply.body());
    assertTrue(reply.json().getString("error").contains("at most 100"));
  }
}
