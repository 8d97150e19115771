package io.aard.hostile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import io.aard.testing.SpanTable;
import jakarta.json.Json;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.sessions.JqwikSession;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Throws generated and known-hostile values at every parameter and body of the platform API:
 * injection strings, control characters, huge and deeply nested bodies, wrong content types. No
 * answer may be a 5xx or carry a stack trace, every error is the JSON error shape, and nothing is
 * stored except what a 201 announced.
 *
 * <p>Values come from jqwik arbitraries; the cases run as dynamic tests, named with the value they
 * send so that a failure can be replayed, because the server is deployed by Arquillian, whose JUnit
 * 5 extension jqwik's own engine does not run. They are drawn in a jqwik session with a fixed seed,
 * so every run sends the same values; {@code -Daard.hostile.seed=...} draws another set.
 */
@ExtendWith(ArquillianExtension.class)
class HostileInputIT {

  private static final int GENERATED = 60;

  /** The seed of the generated values: fixed, so that a failure recurs on the next run. */
  private static final String SEED = System.getProperty("aard.hostile.seed", "4711");

  static final List<String> KNOWN_HOSTILE =
      List.of(
          "' OR '1'='1",
          "'; DROP TABLE tasks; --",
          "\"; DELETE FROM plans; --",
          "%00",
          "\u0000",
          "\u0000\u0001\u0002\u001f\u007f",
          "../../../../etc/passwd",
          "<script>alert(1)</script>",
          "${jndi:ldap://127.0.0.1/a}",
          "#{7*7}",
          "{{7*7}}",
          "-1",
          "0",
          "2147483648",
          "99999999999999999999999",
          "1e309",
          "NaN",
          "null",
          "true",
          "[]",
          "{}",
          "\uD800",
          "\uFFFF\uFFFE",
          "😀".repeat(50),
          "a".repeat(10_001),
          " ",
          "\r\n\r\nX-Injected: yes",
          "00000000-0000-4000-8000-00000000000G",
          "00000000-0000-4000-8000-0000000000000");

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final Api api = new Api();

  /** Hostile strings: the known list plus generated ones of every kind of character. */
  static List<String> values() {
    Arbitrary<String> generated =
        Arbitraries.oneOf(
            Arbitraries.strings().all().ofMaxLength(200),
            Arbitraries.strings().withCharRange('\u0000', '\u001f').ofMinLength(1).ofMaxLength(20),
            Arbitraries.strings().withChars("'\";%\\/<>{}[]()$#*&|`~").ofMaxLength(40),
            Arbitraries.strings().numeric().ofMaxLength(30),
            Arbitraries.integers().map(String::valueOf));
    List<String> values = new ArrayList<>(KNOWN_HOSTILE);
    // Outside a jqwik property, sampling draws from an unseeded random unless a session sets one.
    JqwikSession.start(SEED);
    try {
      generated.sampleStream().limit(GENERATED).forEach(values::add);
    } finally {
      JqwikSession.finish();
    }
    return values;
  }

  @TestFactory
  Stream<DynamicTest> parametersAndPathsNeverBreakTheServer() {
    long tasksBefore = count("tasks");
    long plansBefore = count("plans");
    List<DynamicTest> tests = new ArrayList<>();
    int i = 0;
    for (String value : values()) {
      String q = URLEncoder.encode(value, StandardCharsets.UTF_8);
      String segment = q.replace("+", "%20");
      String n = label(i++, value);
      tests.add(
          dynamic(
              n,
              "GET /api/tasks?status&limit",
              () -> api.get("/api/tasks?status=" + q + "&limit=" + q)));
      tests.add(dynamic(n, "GET /api/tasks/{id}", () -> api.get("/api/tasks/" + segment)));
      tests.add(
          dynamic(
              n, "POST /api/tasks/{id}/plan", () -> api.post("/api/tasks/" + segment + "/plan")));
      tests.add(dynamic(n, "GET /api/plans/{id}", () -> api.get("/api/plans/" + segment)));
      tests.add(
          dynamic(
              n,
              "POST /api/plans/{id}/execute",
              () -> api.post("/api/plans/" + segment + "/execute")));
      tests.add(dynamic(n, "GET /api/agents?x", () -> api.get("/api/agents?x=" + q)));
      tests.add(dynamic(n, "GET /api/tools?x", () -> api.get("/api/tools?x=" + q)));
    }
    tests.add(
        DynamicTest.dynamicTest(
            "nothing stored",
            () -> {
              assertEquals(tasksBefore, count("tasks"), "no task created by a read or a bad id");
              assertEquals(plansBefore, count("plans"), "no plan created by a bad id");
            }));
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> taskBodiesNeverBreakTheServer() {
    List<DynamicTest> tests = new ArrayList<>();
    int i = 0;
    for (String value : values()) {
      String n = label(i++, value);
      tests.add(
          DynamicTest.dynamicTest(
              n + " description",
              () -> {
                long before = count("tasks");
                Reply reply =
                    api.post(
                        "/api/tasks", Json.createObjectBuilder().add("description", value).build());
                assertSane(reply);
                long expected = before + (reply.status() == 201 ? 1 : 0);
                assertEquals(expected, count("tasks"), "only a 201 stores a task");
                boolean encodable = StandardCharsets.UTF_8.newEncoder().canEncode(value);
                if (reply.status() == 201 && encodable) {
                  assertEquals(value, reply.json().getString("description"), "stored as sent");
                }
              }));
      tests.add(dynamic(n, "raw body", () -> api.post("/api/tasks", value, "application/json")));
    }
    return tests.stream();
  }

  @Test
  void hugeDeepAndMistypedBodiesAreRefusedCleanly() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    String deepObject = "{\"description\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_001);
    String huge = "{\"description\":\"" + "x".repeat(5_000_000) + "\"}";
    long before = count("tasks");
    for (Reply reply :
        List.of(
            api.post("/api/tasks", deep, "application/json"),
            api.post("/api/tasks", deepObject, "application/json"),
            api.post("/api/tasks", huge, "application/json"),
            api.post("/api/tasks", "{\"description\":\"x\"}", "text/plain"),
            api.post("/api/tasks", "<task><description>x</description></task>", "application/xml"),
            api.post("/api/tasks", "description=x", "application/x-www-form-urlencoded"),
            api.post("/api/tasks", "", "application/json"),
            api.post("/api/tasks", "[\"description\"]", "application/json"),
            api.post("/api/tasks", "{\"description\":[\"x\"]}", "application/json"),
            api.post("/api/tasks", "{\"description\":\"x\",\"id\":\"1\"}", "application/json"),
            api.send(
                HttpRequest.newBuilder(api.uri("/api/tasks"))
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{}"))),
            api.send(HttpRequest.newBuilder(api.uri("/api/agents")).DELETE()))) {
      assertSane(reply);
      assertTrue(reply.status() >= 400, reply.toString());
    }
    assertEquals(before, count("tasks"));
    Reply claimedCharset =
        api.post("/api/tasks", "{\"description\":\"ü\"}", "application/json; charset=ebcdic");
    assertEquals(
        201, claimedCharset.status(), "JSON is read as UTF-8 (RFC 8259) whatever is claimed");
    assertEquals("ü", claimedCharset.json().getString("description"));
  }

  private DynamicTest dynamic(String label, String name, Supplier<Reply> call) {
    return DynamicTest.dynamicTest(label + " " + name, () -> assertSane(call.get()));
  }

  /** The case number and the value, escaped and cut, for the test's name. */
  private static String label(int n, String value) {
    StringBuilder out = new StringBuilder("#" + n + " ");
    value
        .codePoints()
        .limit(40)
        .forEach(
            c ->
                out.append(
                    c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : Character.toString(c)));
    return out.toString();
  }

  private static void assertSane(Reply reply) {
    assertTrue(reply.status() < 500, "5xx: " + abbreviated(reply));
    if (reply.status() == 400 && reply.body().contains("CWWWC0005I")) {
      // Liberty's HTTP channel refuses an encoded NUL in the request URI before any application
      // code runs; that answer is Liberty's own and names no internals.
      return;
    }
    if (reply.status() >= 400) {
      String type = reply.header("Content-Type");
      assertTrue(type != null && type.startsWith("application/json"), abbreviated(reply));
      assertTrue(reply.json().containsKey("error"), abbreviated(reply));
    }
    assertFalse(reply.body().contains("Exception"), abbreviated(reply));
    assertFalse(reply.body().contains("\tat "), abbreviated(reply));
  }

  private static String abbreviated(Reply reply) {
    String text = reply.toString();
    return text.length() > 500 ? text.substring(0, 500) + "..." : text;
  }

  private static long count(String table) {
    try {
      return Long.parseLong(
          SpanTable.query("SELECT count(*) AS n FROM " + table + " WHERE ? IS NOT NULL", "x")
              .get(0)
              .get("n"));
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
