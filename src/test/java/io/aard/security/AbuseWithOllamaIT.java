package io.aard.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import io.aard.testing.SpanTable;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The attacks of a stranger on a server with API keys: requests without (or with a wrong, or a too
 * weak) key, each sent in a trace of the attacker's choosing and flagged sampled, must leave no
 * span in the store; they are counted instead. Every answer carries the security headers.
 */
@ExtendWith(ArquillianExtension.class)
class AbuseWithOllamaIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

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
}
