package io.aard.tracing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.BuildDatabase;
import io.aard.testing.LibertyServer;
import io.aard.testing.SilentServer;
import io.aard.testing.SpanTable;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code TRACING_EXPORTER=database,otlp} with a collector that accepts connections and never
 * answers (a real socket, {@link SilentServer}): a server of its own ({@code aardIsolationIT}, the
 * WAR in its dropins/, on the integration tests' database) is loaded until the OTLP exporter's
 * queue overflows, and meanwhile every platform request's spans reach {@code execution_traces}
 * within seconds and none is dropped from the database path (docs/operations.md: "a collector
 * outage never affects the database copy"). With one batch processor shared by both exporters, each
 * of its exports waited for the collector's timeout, and the shared queue dropped the database's
 * spans.
 */
class ExporterIsolationIT {

  private static final Duration START = Duration.ofSeconds(180);
  private static final String SERVER =
      System.getProperty("aard.it.isolation.server", "aardIsolationIT");
  private static final LibertyServer LIBERTY = new LibertyServer(SERVER, START, "isolation");
  private static final Api API =
      new Api("http://localhost:" + Integer.getInteger("aard.it.isolation.http.port", 9680));

  /** How soon a request's spans must be in the table: a few of the exporter's batch delays. */
  private static final Duration PROMPTLY = Duration.ofSeconds(5);

  /** The longest the load may take to overflow the collector's queue (2,048 spans). */
  private static final Duration LOAD_LIMIT = Duration.ofSeconds(90);

  private static final int CLIENTS = 2;

  private static SilentServer collector;

  @BeforeAll
  static void startServer() throws Exception {
    collector = new SilentServer();
    Files.writeString(
        LIBERTY.dir().resolve("server.env"),
        String.join(
            "\n",
            "# Written by ExporterIsolationIT: an OTLP endpoint that never answers.",
            "HTTP_PORT=" + System.getProperty("aard.it.isolation.http.port", "9680"),
            "HTTPS_PORT=" + System.getProperty("aard.it.isolation.https.port", "9943"),
            "AARD_DB_NAME=" + System.getProperty("aard.it.db.name", "aard_it"),
            "AARD_DB_PORT=" + BuildDatabase.port(),
            "LLM_PROVIDER=builtin",
            "TRACING_EXPORTER=database,otlp",
            "TRACING_OTLP_ENDPOINT=" + collector.tracesUrl(),
            ""));
    LIBERTY.run("start");
    await().atMost(START).ignoreExceptions().until(() -> API.get("/health/ready").status() == 200);
  }

  @AfterAll
  static void stopServer() throws IOException, InterruptedException {
    // First the collector: refused connections end the server's last OTLP export at once.
    if (collector != null) {
      collector.close();
    }
    LIBERTY.run("stop");
  }

  @Test
  void aCollectorThatNeverAnswersNeitherDelaysNorDropsTheDatabaseCopy() throws Exception {
    Set<String> loadTraces = ConcurrentHashMap.newKeySet();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean loading = new AtomicBoolean(true);
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    long loadEnds = System.nanoTime() + LOAD_LIMIT.toNanos();
    for (int i = 0; i < CLIENTS; i++) {
      String path = i % 2 == 0 ? "/api/agents" : "/api/tools";
      clients.submit(
          () -> {
            while (loading.get() && System.nanoTime() < loadEnds) {
              Reply reply = API.get(path);
              if (reply.status() != 200) {
                failures.add(reply.toString());
              }
              String traceparent = reply.header("traceparent");
              if (traceparent != null) {
                loadTraces.add(traceparent.substring(3, 35));
              }
            }
          });
    }
    int flows = 0;
    try {
      // Platform work beside the load, until the collector's queue has overflowed: each flow's
      // execute trace is in the table within seconds of its answer, the whole time.
      do {
        String executeTrace = flow();
        flows++;
        SpanTable.await(
            "SELECT span_id FROM execution_traces WHERE trace_id = ? AND parent_span_id IS NULL",
            executeTrace,
            rows -> rows.size() == 1,
            PROMPTLY);
      } while (exporterHealth().getJsonNumber("otlp_dropped").longValue() == 0
          && System.nanoTime() < loadEnds);
    } finally {
      loading.set(false);
      clients.shutdown();
      assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));
    }

    JsonObject exporter = exporterHealth();
    assertTrue(
        exporter.getJsonNumber("otlp_dropped").longValue() > 0,
        "the load never overflowed the collector's queue: " + exporter);
    assertEquals(0, exporter.getJsonNumber("otlp_exported").longValue(), exporter.toString());
    assertTrue(collector.connections() > 0, "the OTLP exporter never connected");
    assertTrue(failures.isEmpty(), "requests failed: " + failures);
    assertTrue(flows > 0);

    // Every request of the load is in the table, promptly, and the database path dropped nothing.
    List<String> ids = List.copyOf(loadTraces);
    SpanTable.await(
        "SELECT DISTINCT trace_id FROM execution_traces"
            + " WHERE trace_id = ANY (string_to_array(?, ','))",
        String.join(",", ids),
        rows -> rows.size() == ids.size(),
        PROMPTLY);
    JsonObject after = exporterHealth();
    assertEquals(0, after.getJsonNumber("dropped").longValue(), after.toString());
    assertEquals("none", after.getString("last_error"), after.toString());
  }

  /** Create, plan and execute a task; returns the execute request's trace id. */
  private static String flow() {
    String taskId =
        API.createTask("Calculate (17.5 + 24.5) * 3, then count the words in 'a b c d'");
    Reply planned = API.post("/api/tasks/" + taskId + "/plan");
    assertEquals(201, planned.status(), planned.body());
    Reply executed = API.post("/api/plans/" + planned.json().getString("id") + "/execute");
    assertEquals(200, executed.status(), executed.body());
    assertEquals("COMPLETED", executed.json().getString("status"), executed.body());
    String traceparent = executed.header("traceparent");
    assertNotNull(traceparent, "execute answered without traceparent");
    return traceparent.substring(3, 35);
  }

  /** The span-exporter check's data in /health/ready. */
  private static JsonObject exporterHealth() {
    return API.get("/health/ready").json().getJsonArray("checks").stream()
        .map(c -> c.asJsonObject())
        .filter(c -> c.getString("name").equals("span-exporter"))
        .findFirst()
        .orElseThrow()
        .getJsonObject("data");
  }
}
