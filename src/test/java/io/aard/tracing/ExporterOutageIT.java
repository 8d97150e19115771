package io.aard.tracing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.DatabaseOutage;
import io.aard.testing.Deployments;
import io.aard.testing.SpanTable;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cuts PostgreSQL away from a running AARD in the middle of a load (existing connections killed,
 * new ones refused) and restores it: requests that need no database keep succeeding, readiness goes
 * DOWN and UP again, and every span made during the outage reaches the table afterwards; requests
 * that need the database answer a clear 503 meanwhile.
 */
@ExtendWith(ArquillianExtension.class)
class ExporterOutageIT {

  private static final String DB = DatabaseOutage.itDatabase();
  private static final int CLIENTS = 2;
  private static final Duration LOAD_LIMIT = Duration.ofSeconds(60);

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final Api api = new Api();

  @AfterEach
  void restoreDatabase() throws SQLException {
    DatabaseOutage.restore(DB);
  }

  @Test
  void noRequestFailsAndNoSpanIsLostWhileTheDatabaseIsCut() throws Exception {
    assertEquals(200, api.get("/api/agents").status(), "registry cached before the outage");
    awaitReady(true);
    // Another test (io.aard.security.AbuseIT) may have made the exporter drop spans on purpose.
    long droppedBefore = exporterHealth().getJsonNumber("dropped").longValue();

    Set<String> traces = ConcurrentHashMap.newKeySet();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    AtomicBoolean loading = new AtomicBoolean(true);
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    long loadEnds = System.nanoTime() + LOAD_LIMIT.toNanos();
    for (int i = 0; i < CLIENTS; i++) {
      String path = i % 2 == 0 ? "/api/agents" : "/api/tools";
      clients.submit(
          () -> {
            while (loading.get() && System.nanoTime() < loadEnds) {
              Reply reply = api.get(path);
              if (reply.status() != 200) {
                failures.add(reply.toString());
              }
              String traceparent = reply.header("traceparent");
              if (traceparent != null) {
                traces.add(traceparent.substring(3, 35));
              }
              // Each client's own pace: a steady load, not a flood.
              LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
            }
          });
    }
    try {
      awaitTraces(traces, n -> n >= 50);
      DatabaseOutage.cut(DB);
      awaitReady(false);
      int beforeRestore = traces.size();
      awaitTraces(traces, n -> n >= beforeRestore + 200);
      DatabaseOutage.restore(DB);
      awaitReady(true);
      awaitTraces(traces, n -> n >= beforeRestore + 400);
    } finally {
      loading.set(false);
      clients.shutdown();
      assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS));
    }

    assertTrue(failures.isEmpty(), "requests failed during the outage: " + failures);
    List<String> ids = List.copyOf(traces);
    SpanTable.await(
        "SELECT trace_id FROM execution_traces WHERE trace_id = ANY (string_to_array(?, ','))",
        String.join(",", ids),
        rows -> rows.stream().map(r -> r.get("trace_id")).distinct().count() == ids.size(),
        Duration.ofSeconds(60));
    JsonObject exporter = exporterHealth();
    assertTrue(exporter.getJsonNumber("retried").longValue() > 0, exporter.toString());
    assertEquals(droppedBefore, exporter.getJsonNumber("dropped").longValue(), exporter.toString());
  }

  @Test
  void requestsThatNeedTheDatabaseAnswer503WhileItIsCut() throws Exception {
    awaitReady(true);
    DatabaseOutage.cut(DB);
    awaitReady(false);
    long start = System.nanoTime();
    Reply created =
        api.post(
            "/api/tasks", Json.createObjectBuilder().add("description", "Calculate 2 * 3").build());
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    Reply listed = api.get("/api/tasks");
    Reply traces = api.get("/api/traces/?limit=1");
    Reply trace = api.get("/api/traces/0af7651916cd43dd8448eb211c80319c");
    Reply stats = api.get("/api/traces/stats/summary");
    DatabaseOutage.restore(DB);
    awaitReady(true);

    for (Reply reply : List.of(created, listed, traces, trace, stats)) {
      assertEquals(503, reply.status(), reply.toString());
      assertEquals("the database is unavailable; retry later", reply.json().getString("error"));
      assertTrue(reply.json().containsKey("parameter"), reply.toString());
      assertEquals("5", reply.header("Retry-After"), reply.toString());
    }
    assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
    assertEquals(
        201,
        api.post(
                "/api/tasks",
                Json.createObjectBuilder().add("description", "Calculate 2 * 3").build())
            .status(),
        "after the restore");
  }

  /** Waits until the number of traced requests satisfies {@code done}; fails if the load lags. */
  private void awaitTraces(Set<String> traces, Predicate<Integer> done) {
    await("load too slow: traced requests")
        .atMost(LOAD_LIMIT)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50))
        .until(traces::size, done);
  }

  /** Waits until readiness is UP (200) or DOWN (503); fails with the last reply. */
  private void awaitReady(boolean up) {
    int expected = up ? 200 : 503;
    await("readiness " + (up ? "UP" : "DOWN"))
        .atMost(Duration.ofSeconds(60))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> api.get("/health/ready"), reply -> reply.status() == expected);
  }

  private JsonObject exporterHealth() {
    return api.get("/health/ready").json().getJsonArray("checks").stream()
        .map(c -> c.asJsonObject())
        .filter(c -> c.getString("name").equals("span-exporter"))
        .findFirst()
        .orElseThrow()
        .getJsonObject("data");
  }
}
