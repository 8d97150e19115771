package io.aard.db;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.LibertyServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded database path, proven on every build (CI included, where a real PostgreSQL runs
 * too): a server of its own ({@code aardEmbeddedIT}, the WAR in its dropins/) with {@code
 * AARD_DB_EMBEDDED=true} on a free port comes up ready with {@code "embedded": true}, runs the
 * walk-through, keeps its data across a restart and across a kill (the stale PostgreSQL is stopped
 * and a new one started), and leaves no PostgreSQL process behind when stopped.
 */
class EmbeddedDatabaseIT {

  private static final Duration START = Duration.ofSeconds(180);
  private static final String SERVER =
      System.getProperty("aard.it.embedded.server", "aardEmbeddedIT");
  private static final LibertyServer LIBERTY = new LibertyServer(SERVER, START, "embedded");
  private static final Api API =
      new Api("http://localhost:" + Integer.getInteger("aard.it.embedded.http.port", 9480));

  @AfterAll
  static void stopServer() throws Exception {
    server("stop");
  }

  @Test
  void startsRunsKeepsItsDataAndLeavesNothingBehind() throws Exception {
    Path data = serverDir().resolve("embedded-postgres-it");
    int port = freePort();
    Files.writeString(
        serverDir().resolve("server.env"),
        String.join(
            "\n",
            "# Written by EmbeddedDatabaseIT: an embedded PostgreSQL on a port free at the time.",
            "HTTP_PORT=" + System.getProperty("aard.it.embedded.http.port", "9480"),
            "HTTPS_PORT=" + System.getProperty("aard.it.embedded.https.port", "9843"),
            "AARD_DB_EMBEDDED=true",
            "AARD_DB_PORT=" + port,
            "AARD_DB_EMBEDDED_DIR=" + data,
            "LLM_PROVIDER=builtin",
            ""));

    server("start");
    assertReadyAndEmbedded();
    assertTrue(
        Files.readString(serverDir().resolve("logs/messages.log"))
            .contains("AARD started an embedded PostgreSQL on 127.0.0.1:" + port),
        "the start-up WARNING says where the data live");
    String taskId = walkThrough();
    assertTrue(postgresRunsOn(data), "the embedded PostgreSQL runs while the server does");

    server("stop");
    await().atMost(Duration.ofSeconds(30)).until(() -> !postgresRunsOn(data));

    server("start");
    assertReadyAndEmbedded();
    assertEquals(200, API.get("/api/tasks/" + taskId).status(), "the task survived a restart");

    // A crash: the JVM dies without stopping PostgreSQL, which the next start finds and replaces.
    killServer();
    assertTrue(postgresRunsOn(data), "a killed server leaves its PostgreSQL running");
    server("start");
    assertReadyAndEmbedded();
    assertEquals(200, API.get("/api/tasks/" + taskId).status(), "the task survived a crash");

    server("stop");
    await().atMost(Duration.ofSeconds(30)).until(() -> !postgresRunsOn(data));
  }

  private static void assertReadyAndEmbedded() {
    await().atMost(START).ignoreExceptions().until(() -> API.get("/health/ready").status() == 200);
    JsonObject database =
        API.get("/health/ready").json().getJsonArray("checks").stream()
            .map(v -> v.asJsonObject())
            .filter(c -> c.getString("name").equals("database"))
            .findFirst()
            .orElseThrow();
    assertTrue(database.getJsonObject("data").getBoolean("embedded"), database.toString());
  }

  /** The README's walk-through: create, plan, execute; returns the task id. */
  private static String walkThrough() {
    Reply task =
        API.post(
            "/api/tasks",
            Json.createObjectBuilder()
                .add(
                    "description",
                    "Calculate (17.5 + 24.5) * 3, then count the words in 'agents need"
                        + " observable plans', then write a one-line summary of the results.")
                .build());
    assertEquals(201, task.status(), task.body());
    String taskId = task.json().getString("id");
    Reply plan = API.post("/api/tasks/" + taskId + "/plan");
    assertEquals(201, plan.status(), plan.body());
    Reply done = API.post("/api/plans/" + plan.json().getString("id") + "/execute");
    assertEquals(200, done.status(), done.body());
    assertEquals("COMPLETED", done.json().getString("status"), done.body());
    return taskId;
  }

  private static boolean postgresRunsOn(Path data) {
    return ProcessHandle.allProcesses()
        .anyMatch(
            p ->
                p.info().commandLine().map(c -> c.contains("-D " + data)).orElse(false)
                    && p.info().command().map(c -> c.endsWith("postgres")).orElse(false));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static Path serverDir() {
    return LIBERTY.dir();
  }

  private static void server(String action) throws IOException, InterruptedException {
    LIBERTY.run(action);
  }

  private static void killServer() throws Exception {
    LIBERTY.kill();
  }
}
