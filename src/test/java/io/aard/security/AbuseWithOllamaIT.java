package io.aard.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.BulkSpans;
import io.aard.testing.Deployments;
import io.aard.testing.LoadRun;
import io.aard.testing.SpanTable;
import io.aard.testing.Timings;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The attacks on a server with API keys (docs/security.md, "Attacks and defences"), each named in
 * its test: requests without (or with a wrong, or a too weak) key, sent in a trace of the
 * attacker's choosing and flagged sampled, leave no span in the store and are counted instead, one
 * by one and as a flood into a victim's trace; a reader's flood of heavy statistics over a large
 * window leaves the operator's requests and readiness fast and is answered 429 with {@code
 * Retry-After} past its permits, never with a hang. Every answer carries the security headers.
 *
 * <p>The latency bounds are generous, for a loaded 2-core CI machine: the point is a request that
 * waits for a connection (5 s and more before), not a few milliseconds.
 */
@ExtendWith(ArquillianExtension.class)
class AbuseWithOllamaIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  /** The longest an operator's or readiness request may take at the 99th percentile, loaded. */
  private static final double P99_LIMIT_MS = 1000;

  /** The longest a single refusal may take: answered at once, whatever the machine's load. */
  private static final double REFUSAL_LIMIT_MS = 5000;

  /** The spans of the statistics flood, in a month no other test uses. */
  private static final Instant WINDOW_FROM = Instant.parse("2098-01-01T00:00:00Z");

  private static final Instant WINDOW_TO = Instant.parse("2098-01-31T00:00:00Z");
  private static final int SEEDED_SPANS = 200_000;

  private final String readerKey = System.getProperty("aard.it.reader.key");
  private final Api operator = new Api();
  private final Api reader = operator.withApiKey(readerKey);
  private final Api anonymous = operator.withApiKey(null);

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  private static HttpRequest.Builder inTrace(Api api, String path, String traceId) {
    return HttpRequest.newBuilder(api.uri(path))
        .header("traceparent", "00-" + traceId + "-" + randomHex(8) + "-01");
  }

  private static long refused(Api api) {
    JsonObject ready = api.get("/health/ready").json();
    return ready.getJsonArray("checks").stream()
        .map(JsonObject.class::cast)
        .filter(check -> check.getString("name").equals("security"))
        .findFirst()
        .orElseThrow()
        .getJsonObject("data")
        .getJsonNumber("refused_requests")
        .longValue();
  }

  @Test
  void refusedRequestsInChosenTracesLeaveNoSpanAndAreCounted() throws Exception {
    long refusedBefore = refused(anonymous);
    String longQuery = "x".repeat(1000);
    List<String> strangerTraces = new ArrayList<>();
    List<Reply> replies = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String traceId = randomHex(16);
      strangerTraces.add(traceId);
      replies.add(anonymous.send(inTrace(anonymous, "/api/tasks?q=" + longQuery, traceId).GET()));
    }
    String wrongKeyTrace = randomHex(16);
    strangerTraces.add(wrongKeyTrace);
    replies.add(
        anonymous.send(
            inTrace(anonymous, "/api/tasks", wrongKeyTrace)
                .header("Authorization", "Bearer not-a-configured-key-000")
                .GET()));
    String readerWriteTrace = randomHex(16);
    strangerTraces.add(readerWriteTrace);
    replies.add(
        reader.send(
            inTrace(reader, "/api/tasks", readerWriteTrace)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"description\":\"intrude\"}"))));
    for (int i = 0; i < replies.size(); i++) {
      assertEquals(i < 5 ? 401 : 403, replies.get(i).status(), replies.get(i).toString());
    }

    // A keyed request after them, in a trace of its own choosing (a keyed client may), is the
    // barrier: the exporter passes spans on in the order they end, so once this one is stored,
    // every refused one before it has been through the exporter.
    String barrier = randomHex(16);
    assertEquals(200, reader.send(inTrace(reader, "/api/tasks", barrier).GET()).status());
    SpanTable.await(
        "SELECT span_id FROM execution_traces WHERE trace_id = ?",
        barrier,
        rows -> !rows.isEmpty(),
        Duration.ofSeconds(30));

    for (String traceId : strangerTraces) {
      assertEquals(
          List.of(),
          SpanTable.query("SELECT span_id FROM execution_traces WHERE trace_id = ?", traceId),
          "a refused request stored a span in the trace it chose: " + traceId);
    }
    assertTrue(
        SpanTable.query(
                "SELECT span_id FROM execution_traces WHERE attributes::text LIKE ?",
                "%" + longQuery + "%")
            .isEmpty(),
        "the refused requests' query string reached the store");
    assertTrue(refused(anonymous) >= refusedBefore + 6, "refusals are counted");
  }

  @Test
  void everyAnswerCarriesTheSecurityHeaders() {
    for (Reply reply :
        List.of(
            anonymous.get("/api/tasks"),
            reader.get("/api/tasks"),
            reader.get("/api/traces?limit=1"),
            anonymous.get("/"),
            anonymous.get("/js/app.js"),
            anonymous.get("/css/viewer.css"))) {
      String csp = reply.header("Content-Security-Policy");
      assertTrue(csp != null && csp.contains("default-src 'self'"), reply.toString());
      assertTrue(csp.contains("frame-ancestors 'none'"), csp);
      assertFalse(csp.contains("script-src"), "scripts fall back to 'self': " + csp);
      assertEquals("nosniff", reply.header("X-Content-Type-Options"), reply.toString());
      assertEquals("no-referrer", reply.header("Referrer-Policy"), reply.toString());
    }
    assertEquals("no-store", reader.get("/api/tasks").header("Cache-Control"));
    assertEquals("no-store", anonymous.get("/api/tasks").header("Cache-Control"));
  }

  /**
   * Attack: a flood of strangers (no key, or a wrong one), every request in a victim's trace and
   * flagged sampled, with a 4 KB User-Agent and a 2 KB query string, to graft spans into that trace
   * and fill the disk. The victim's trace keeps exactly its own spans, nothing of the flood is
   * stored, every refusal is counted, and the operator's requests keep their pace meanwhile.
   */
  @Test
  void unauthenticatedFloodIntoAVictimsTraceGraftsNothingAndOperatorsKeepTheirPace()
      throws Exception {
    Reply created = createTask("the victim's task");
    String victim = traceId(created);
    awaitStoredBarrier();
    long victimSpans = spansOf(victim);
    assertTrue(victimSpans > 0, "the victim's trace is stored");
    long refusedBefore = refused(anonymous);

    String marker = "flood-" + randomHex(6);
    String query = "?q=" + marker + "x".repeat(1000) + "&r=" + "y".repeat(1000);
    String userAgent = marker + "/" + "z".repeat(4000);
    LoadRun load =
        new LoadRun()
            .client(
                "stranger",
                6,
                Duration.ZERO,
                () ->
                    anonymous.send(
                        inTrace(anonymous, "/api/tasks" + query, victim)
                            .header("User-Agent", userAgent)
                            .GET()))
            .client(
                "wrong key",
                2,
                Duration.ZERO,
                () ->
                    anonymous.send(
                        inTrace(anonymous, "/api/traces/" + victim + query, victim)
                            .header("User-Agent", userAgent)
                            .header("Authorization", "Bearer not-a-configured-key-000")
                            .GET()))
            .client("operator", 1, Duration.ofMillis(100), () -> createTask("during a flood"))
            .run(Duration.ofSeconds(8));

    List<LoadRun.Sample> refusals = new ArrayList<>(load.of("stranger"));
    refusals.addAll(load.of("wrong key"));
    assertTrue(refusals.size() > 100, "the flood sent " + refusals.size());
    for (LoadRun.Sample refusal : refusals) {
      assertEquals(401, refusal.status(), refusal.toString());
    }
    assertAllAnswered(load.of("operator"), 201);
    report("flood of " + refusals.size() + " refused requests", load, "operator");
    assertTrue(
        load.percentileMillis("operator", 0.99) < P99_LIMIT_MS,
        "operator p99 " + load.percentileMillis("operator", 0.99) + " ms");

    awaitStoredBarrier();
    assertEquals(victimSpans, spansOf(victim), "the flood grafted spans into the victim's trace");
    assertEquals(
        List.of(),
        SpanTable.query(
            "SELECT span_id FROM execution_traces WHERE start_time > now() - interval '10 minutes'"
                + " AND attributes::text LIKE ?",
            "%" + marker + "%"),
        "a refused request of the flood reached the store");
    assertTrue(
        refused(anonymous) >= refusedBefore + refusals.size(),
        "every refusal is counted: " + refused(anonymous) + " after " + refusedBefore);
  }

  /**
   * Attack: a reader floods the server with statistics over a 30-day window of 200,000 spans from
   * eight clients at once, while operators create tasks and a balancer probes readiness. The
   * statistics run on the trace API's own pool, at most two at once: the operator's {@code POST
   * /api/tasks} and readiness keep a p99 under a second, light reads (a search) are never refused
   * for them, the excess statistics are answered 429 with {@code Retry-After} at once, none hangs,
   * and no read is left running afterwards.
   */
  @Test
  void readerStatisticsFloodDuringPlatformLoadLeavesTasksAndReadinessFast() throws Exception {
    String service = "it-abuse-" + randomHex(4);
    try (Connection c = SpanTable.connect()) {
      BulkSpans.insert(c, service, service, WINDOW_FROM, WINDOW_TO, SEEDED_SPANS);
    }
    try {
      LoadRun baseline =
          new LoadRun()
              .client("operator", 2, Duration.ofMillis(50), () -> createTask("before the flood"))
              .run(Duration.ofSeconds(3));
      report("baseline, no reader", baseline, "operator");

      String[] groupBys = {"operation_name", "agent_id", "tool_id", "status", "service_name"};
      AtomicInteger next = new AtomicInteger();
      AtomicInteger mostReadConnections = new AtomicInteger();
      ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor();
      watcher.scheduleAtFixedRate(
          () -> mostReadConnections.accumulateAndGet(readBackends(false), Math::max),
          0,
          100,
          TimeUnit.MILLISECONDS);
      LoadRun load;
      try {
        load =
            new LoadRun()
                // A tenth of a second between requests: the attack is the heavy reads, not the
                // request rate (a flood of requests is the test above).
                .client(
                    "statistics",
                    8,
                    Duration.ofMillis(100),
                    () ->
                        reader.get(
                            "/api/traces/stats/summary?start_time_from="
                                + WINDOW_FROM
                                + "&start_time_to="
                                + WINDOW_TO
                                + "&group_by="
                                + groupBys[next.getAndIncrement() % groupBys.length]))
                .client(
                    "search",
                    1,
                    Duration.ofMillis(200),
                    () -> reader.get("/api/traces?limit=20&service_name=" + service))
                .client("operator", 2, Duration.ofMillis(50), () -> createTask("during the flood"))
                .client(
                    "readiness", 1, Duration.ofMillis(200), () -> anonymous.get("/health/ready"))
                .run(Duration.ofSeconds(15));
      } finally {
        watcher.shutdownNow();
      }

      List<LoadRun.Sample> statistics = load.of("statistics");
      report("statistics flood", load, "statistics", "search", "operator", "readiness");
      System.out.printf(
          "attack: statistics answered 200: p50=%.0f p99=%.0f ms%n",
          Timings.percentileMillis(answeredNanos(statistics), 0.5),
          Timings.percentileMillis(answeredNanos(statistics), 0.99));
      long answered = statistics.stream().filter(s -> s.status() == 200).count();
      long refusedAtOnce = statistics.stream().filter(s -> s.status() == 429).count();
      assertTrue(answered > 0, "no statistics answered: " + statistics);
      assertTrue(refusedAtOnce > 0, "eight readers, one permit, and no 429");
      for (LoadRun.Sample s : statistics) {
        assertTrue(s.status() == 200 || s.status() == 429 || s.status() == 503, "statistics: " + s);
        if (s.status() != 200) {
          assertNotNull(s.retryAfter(), "no Retry-After: " + s);
        }
        if (s.status() == 429) {
          assertTrue(s.millis() < REFUSAL_LIMIT_MS, "a refusal waited: " + s);
        }
        // Never a hang: at the latest the statement timeout (30 s) ends a read.
        assertTrue(s.millis() < 35_000, "a statistics request hung: " + s);
      }
      List<Long> refusals =
          statistics.stream().filter(s -> s.status() == 429).map(LoadRun.Sample::nanos).toList();
      assertTrue(
          Timings.percentileMillis(refusals, 0.99) < P99_LIMIT_MS,
          "429 p99 " + Timings.percentileMillis(refusals, 0.99) + " ms");
      assertAllAnswered(load.of("search"), 200);
      assertAllAnswered(load.of("operator"), 201);
      assertAllAnswered(load.of("readiness"), 200);
      assertTrue(
          load.percentileMillis("operator", 0.99) < P99_LIMIT_MS,
          "operator p99 " + load.percentileMillis("operator", 0.99) + " ms");
      assertTrue(
          load.percentileMillis("readiness", 0.99) < P99_LIMIT_MS,
          "readiness p99 " + load.percentileMillis("readiness", 0.99) + " ms");
      assertTrue(mostReadConnections.get() > 0, "the reads did not run on the read pool");
      await("no trace read left running")
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> readBackends(true), n -> n == 0);
    } finally {
      try (Connection c = SpanTable.connect()) {
        BulkSpans.delete(c, service);
      }
    }
  }

  /** Creates a task as the operator; the reply, whatever its status. */
  private Reply createTask(String description) {
    return operator.post(
        "/api/tasks", Json.createObjectBuilder().add("description", description).build());
  }

  private static String traceId(Reply reply) {
    String traceparent = reply.header("traceparent");
    assertNotNull(traceparent, reply.toString());
    return traceparent.substring(3, 35);
  }

  private static long spansOf(String traceId) throws SQLException {
    return SpanTable.query("SELECT span_id FROM execution_traces WHERE trace_id = ?", traceId)
        .size();
  }

  /**
   * A keyed request in a trace of its own, awaited in the store: the exporter passes spans on in
   * the order they end, so every span ended before it is stored too.
   */
  private void awaitStoredBarrier() throws SQLException {
    String barrier = randomHex(16);
    assertEquals(200, reader.send(inTrace(reader, "/api/tasks", barrier).GET()).status());
    SpanTable.await(
        "SELECT span_id FROM execution_traces WHERE trace_id = ?",
        barrier,
        rows -> !rows.isEmpty(),
        Duration.ofSeconds(30));
  }

  /**
   * Connections of the trace API's read pool ({@code ApplicationName=aard-read}) to the test
   * database; only those running a statement when {@code activeOnly}.
   */
  private static int readBackends(boolean activeOnly) {
    try (Connection c = SpanTable.connect();
        var ps =
            c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND application_name = 'aard-read'"
                    + (activeOnly ? " AND state = 'active'" : ""));
        var rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Long> answeredNanos(List<LoadRun.Sample> samples) {
    return samples.stream().filter(s -> s.status() == 200).map(LoadRun.Sample::nanos).toList();
  }

  private static void assertAllAnswered(List<LoadRun.Sample> samples, int status) {
    assertFalse(samples.isEmpty(), "no request sent");
    for (LoadRun.Sample s : samples) {
      assertEquals(status, s.status(), s.toString());
    }
  }

  /** Prints the clients' counts and latencies, for the record of what the attack did. */
  private static void report(String what, LoadRun load, String... clients) {
    StringBuilder line = new StringBuilder("attack: " + what + ":");
    for (String client : clients) {
      List<LoadRun.Sample> samples = load.of(client);
      line.append(
          String.format(
              " %s n=%d p50=%.0f p99=%.0f max=%.0f ms %s;",
              client,
              samples.size(),
              load.percentileMillis(client, 0.5),
              load.percentileMillis(client, 0.99),
              load.percentileMillis(client, 1.0),
              samples.stream()
                  .collect(
                      java.util.stream.Collectors.groupingBy(
                          LoadRun.Sample::status,
                          java.util.TreeMap::new,
                          java.util.stream.Collectors.counting()))));
    }
    System.out.println(line);
  }
}
