package io.aard.tracequery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The trace API of docs/api.md §6 on a real Liberty and PostgreSQL, over spans seeded straight into
 * the table: every filter's answer is compared with the same question asked of the table in plain
 * SQL.
 */
@ExtendWith(ArquillianExtension.class)
class TraceQueryIT {

  private static final SeededTraces SEED = new SeededTraces();

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  @BeforeAll
  static void seed() throws SQLException {
    SEED.insert();
  }

  private final Api api = new Api();

  /** One question: the API's parameters and the plain-SQL condition on a span {@code s}. */
  record Question(String query, String spanCondition, String traceCondition) {}

  private List<Question> questions() {
    SeededTraces s = SEED;
    Instant from = s.boundary.minus(570, ChronoUnit.SECONDS);
    return List.of(
        new Question("", "true", "true"),
        new Question("task_id=" + s.task1, "s.task_id = '" + s.task1 + "'", "true"),
        new Question("plan_id=" + s.plan1, "s.plan_id = '" + s.plan1 + "'", "true"),
        new Question("task_id=" + s.task2, "s.task_id = '" + s.task2 + "'", "true"),
        new Question("agent_id=" + s.agent1, "s.agent_id = '" + s.agent1 + "'", "true"),
        new Question("tool_id=" + s.tool2, "s.tool_id = '" + s.tool2 + "'", "true"),
        new Question("status=ERROR", "s.status = 'ERROR'", "true"),
        new Question("status=ok", "s.status = 'OK'", "true"),
        new Question("status=UNSET", "s.status = 'UNSET'", "true"),
        new Question(
            "agent_id=" + s.agent2 + "&status=ERROR",
            "s.agent_id = '" + s.agent2 + "' AND s.status = 'ERROR'",
            "true"),
        new Question(
            "operation_name=execution.execute_step",
            "s.operation_name = 'execution.execute_step'",
            "true"),
        new Question(
            "status=ERROR&operation_name=trace.search",
            "s.status = 'ERROR' AND s.operation_name = 'trace.search'",
            "true"),
        new Question(
            "start_time_from=" + from + "&start_time_to=" + s.boundary,
            "true",
            "r.start_time >= '" + from + "' AND r.start_time < '" + s.boundary + "'"),
        new Question(
            "start_time_from=" + s.boundary.atOffset(ZoneOffset.ofHours(2)) + "&status=ERROR",
            "s.status = 'ERROR'",
            "r.start_time >= '" + s.boundary + "'"),
        new Question("min_duration_ms=1000", "true", "r.duration_ms >= 1000"),
        new Question("max_duration_ms=40", "true", "r.duration_ms <= 40"),
        new Question(
            "min_duration_ms=20&max_duration_ms=30&status=ERROR",
            "s.status = 'ERROR'",
            "r.duration_ms BETWEEN 20 AND 30"),
        new Question(
            "attribute=gen_ai.usage.input_tokens=12",
            "s.attributes ->> 'gen_ai.usage.input_tokens' = '12'",
            "true"),
        new Question(
            "attribute=gen_ai.usage.input_tokens=\"12\"",
            "jsonb_typeof(s.attributes -> 'gen_ai.usage.input_tokens') = 'string'"
                + " AND s.attributes ->> 'gen_ai.usage.input_tokens' = '12'",
            "true"),
        new Question("attribute=code=12", "s.attributes ->> 'code' = '12'", "true"),
        new Question("attribute=flag=true", "s.attributes -> 'flag' = 'true'::jsonb", "true"),
        new Question("attribute=flag=false", "s.attributes -> 'flag' = 'false'::jsonb", "true"),
        new Question("attribute=tags=alpha", "s.attributes -> 'tags' ?? 'alpha'", "true"),
        new Question("attribute=ratio=0.5", "(s.attributes ->> 'ratio')::numeric = 0.5", "true"),
        new Question(
            "attribute=http.response.status_code=500",
            "s.attributes ->> 'http.response.status_code' = '500'",
            "true"),
        new Question(
            "attribute=aard.step_index=0", "s.attributes ->> 'aard.step_index' = '0'", "true"),
        new Question(
            "attribute=flag=true&attribute=tags=beta",
            "s.attributes -> 'flag' = 'true'::jsonb AND s.attributes -> 'tags' ?? 'beta'",
            "true"),
        new Question(
            "attribute=flag=false&attribute=tags=alpha",
            "s.attributes -> 'flag' = 'false'::jsonb AND s.attributes -> 'tags' ?? 'alpha'",
            "true"),
        new Question("attribute=gen_ai.request.model=nothing", "false", "true"));
  }

  @Test
  void everyFilterAnswersAsPlainSqlDoes() throws SQLException {
    for (Question q : questions()) {
      List<String> expected = plainSqlTraceIds(q);
      Reply reply = api.get("/api/traces/?" + encode(scoped(q.query())) + "&limit=500");
      assertEquals(200, reply.status(), q.query() + ": " + reply.body());
      assertEquals(expected, traceIds(reply.array("traces")), q.query());
      assertTrue(reply.json().isNull("next_cursor"), q.query());
    }
  }

  @Test
  void bothSearchPlansAnswerAsPlainSqlDoes() throws SQLException {
    try (Connection c = SeededTraces.connect()) {
      for (Question q : questions()) {
        List<String> expected = plainSqlTraceIds(q);
        for (TraceSearch.Plan plan : TraceSearch.Plan.values()) {
          List<String> walked = new ArrayList<>();
          String cursor = null;
          do {
            Map<String, List<String>> params = params(scoped(q.query()) + "&limit=3");
            if (cursor != null) {
              params.put("cursor", List.of(cursor));
            }
            var page = TraceSearch.page(c, TraceParams.search(params), plan);
            page.traces().forEach(t -> walked.add(t.traceId()));
            cursor = page.nextCursor();
          } while (cursor != null);
          assertEquals(expected, walked, plan + " " + q.query());
        }
      }
    }
  }

  @Test
  void listRowsSummariseTheirTraces() {
    JsonArray traces = api.get("/api/traces?" + encode(scoped("")) + "&limit=500").array("traces");
    JsonObject crossing = find(traces, SEED.crossing);
    assertEquals("POST /api/plans/{plan_id}/execute", crossing.getString("root_operation"));
    assertEquals(SEED.service, crossing.getString("service_name"));
    assertEquals(4, crossing.getInt("span_count"));
    assertEquals(1, crossing.getInt("error_count"));
    assertEquals("ERROR", crossing.getString("status"));
    assertEquals(SEED.task1.toString(), crossing.getString("task_id"));
    assertEquals(SEED.plan1.toString(), crossing.getString("plan_id"));
    assertEquals(1_200_000.0, crossing.getJsonNumber("duration_ms").doubleValue(), 1e-6);
    assertEquals(
        SEED.boundary.minus(10, ChronoUnit.MINUTES),
        Instant.parse(crossing.getString("start_time")));
    assertTrue(crossing.getString("end_time").endsWith("Z"));

    JsonObject deep = find(traces, SEED.deepError);
    assertEquals("ERROR", deep.getString("status"));
    assertEquals(1, deep.getInt("error_count"));
    assertTrue(deep.isNull("plan_id"));

    JsonObject noTask = find(traces, SEED.noTask);
    assertTrue(noTask.isNull("task_id"));
    assertTrue(noTask.isNull("plan_id"));
    assertEquals("UNSET", noTask.getString("status"));
    assertEquals(0, noTask.getInt("error_count"));

    JsonObject remote = find(traces, SEED.remoteParent);
    assertEquals("POST /api/tasks", remote.getString("root_operation"));
    assertEquals(3, remote.getInt("span_count"));
    assertEquals(
        1,
        traces.stream()
            .filter(x -> x.asJsonObject().getString("trace_id").equals(SEED.remoteParent))
            .count(),
        "a trace with two remote roots is listed once, by its first");

    assertNull(find(traces, SEED.rootless), "a trace whose root is not stored is not listed yet");
  }

  @Test
  void traceAcrossAMonthBoundaryIsReadWholeFromBothPartitions() throws SQLException {
    try (Connection c = SeededTraces.connect();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(DISTINCT tableoid) FROM execution_traces WHERE trace_id = ?")) {
      ps.setString(1, SEED.crossing);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertEquals(2, rs.getInt(1), "the seeded trace spans two partitions");
      }
    }
    Reply reply = api.get("/api/traces/" + SEED.crossing.toUpperCase());
    assertEquals(200, reply.status(), reply.body());
    JsonObject trace = reply.json();
    assertEquals(SEED.crossing, trace.getString("trace_id"));
    assertEquals(4, trace.getInt("span_count"));
    assertFalse(trace.getBoolean("truncated"));
    assertTrue(trace.isNull("next_cursor"));
    assertEquals("ERROR", trace.getString("status"));
    JsonArray roots = trace.getJsonArray("spans");
    assertEquals(1, roots.size());
    JsonObject root = roots.getJsonObject(0);
    assertTrue(root.isNull("parent_span_id"));
    JsonArray steps = root.getJsonArray("children");
    assertEquals(2, steps.size());
    assertTrue(
        Instant.parse(steps.getJsonObject(0).getString("start_time"))
            .isBefore(Instant.parse(steps.getJsonObject(1).getString("start_time"))),
        "children ordered by start");
    JsonObject generate = steps.getJsonObject(0).getJsonArray("children").getJsonObject(0);
    assertEquals("ollama.generate", generate.getString("operation_name"));
    assertEquals("ERROR", generate.getString("status"));
    assertEquals(12, generate.getInt("input_tokens"));
    assertEquals(0, generate.getJsonArray("children").size());

    Reply flat = api.get("/api/traces/" + SEED.crossing + "/spans");
    assertTrue(flat.json().isNull("next_cursor"), "one page holds the whole trace");
    JsonArray spans = flat.array("spans");
    assertEquals(4, spans.size());
    Instant previous = Instant.MIN;
    for (JsonValue v : spans) {
      JsonObject span = v.asJsonObject();
      Instant start = Instant.parse(span.getString("start_time"));
      assertFalse(start.isBefore(previous), "ordered by start");
      previous = start;
      for (String column :
          List.of(
              "trace_id",
              "span_id",
              "parent_span_id",
              "operation_name",
              "service_name",
              "span_kind",
              "start_time",
              "end_time",
              "duration_ms",
              "status",
              "status_message",
              "task_id",
              "plan_id",
              "agent_id",
              "tool_id",
              "input_tokens",
              "output_tokens",
              "attributes",
              "events",
              "resource")) {
        assertTrue(span.containsKey(column), column + " in " + span);
      }
      assertEquals(SEED.service, span.getJsonObject("resource").getString("service.name"));
    }
    JsonObject error = spans.getJsonObject(2);
    assertEquals(12, error.getJsonObject("attributes").getInt("gen_ai.usage.input_tokens"));
    assertEquals("exception", error.getJsonArray("events").getJsonObject(0).getString("name"));
    assertEquals("failed on purpose", error.getString("status_message"));
  }

  @Test
  void errorOnlyInADeepSpanIsFoundAndShown() {
    JsonObject trace = api.get("/api/traces/" + SEED.deepError).json();
    assertEquals("ERROR", trace.getString("status"));
    JsonObject node = trace.getJsonArray("spans").getJsonObject(0);
    assertEquals("OK", node.getString("status"));
    for (int depth = 0; depth < 4; depth++) {
      node = node.getJsonArray("children").getJsonObject(0);
    }
    assertEquals("ERROR", node.getString("status"));
    assertEquals("tool.calculator.divide", node.getString("operation_name"));
  }

  @Test
  void traceWithoutItsRootIsReadAsItsOrphans() {
    JsonObject trace = api.get("/api/traces/" + SEED.rootless).json();
    assertEquals("planning.analyze_task", trace.getString("root_operation"));
    assertEquals(1, trace.getJsonArray("spans").size());
  }

  @Test
  void walkingNextCursorNeitherRepeatsNorSkipsWhileSpansArrive() throws SQLException {
    String service = SEED.service + "-walk";
    Instant base = SEED.boundary.plus(3, ChronoUnit.HOURS);
    List<Object[]> initial = new ArrayList<>();
    Map<String, String> roots = new HashMap<>();
    for (int i = 0; i < 23; i++) {
      String trace = SeededTraces.traceId();
      Object[] root =
          SeededTraces.row(
              service,
              trace,
              null,
              "GET /walk",
              "SERVER",
              base.plusSeconds(i / 2),
              10,
              "UNSET",
              null,
              null,
              null,
              null,
              null,
              null,
              "{}",
              "[]");
      initial.add(root);
      roots.put(trace, (String) root[1]);
    }
    try (Connection c = SeededTraces.connect()) {
      SeededTraces.insert(c, initial);
      Set<String> before = new HashSet<>(roots.keySet());
      Set<String> arrivedAhead = new HashSet<>();
      Set<String> arrivedBehind = new HashSet<>();
      List<String> walked = new ArrayList<>();
      List<Instant> starts = new ArrayList<>();
      String cursor = null;
      int page = 0;
      do {
        Reply reply =
            api.get(
                "/api/traces/?service_name="
                    + service
                    + "&limit=4"
                    + (cursor == null ? "" : "&cursor=" + cursor));
        assertEquals(200, reply.status(), reply.body());
        for (JsonValue v : reply.array("traces")) {
          walked.add(v.asJsonObject().getString("trace_id"));
          starts.add(Instant.parse(v.asJsonObject().getString("start_time")));
        }
        cursor = reply.json().isNull("next_cursor") ? null : reply.json().getString("next_cursor");
        // Between pages: a newer trace, an older one, and children for traces on both sides.
        List<Object[]> more = new ArrayList<>();
        String newer = SeededTraces.traceId();
        more.add(
            SeededTraces.row(
                service,
                newer,
                null,
                "GET /walk",
                "SERVER",
                base.plusSeconds(3600 + page),
                10,
                "UNSET",
                null,
                null,
                null,
                null,
                null,
                null,
                "{}",
                "[]"));
        arrivedBehind.add(newer);
        if (page < 3) {
          String older = SeededTraces.traceId();
          more.add(
              SeededTraces.row(
                  service,
                  older,
                  null,
                  "GET /walk",
                  "SERVER",
                  base.minusSeconds(600 + page),
                  10,
                  "UNSET",
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  "{}",
                  "[]"));
          arrivedAhead.add(older);
        }
        for (String trace : List.of(walked.get(0), walked.get(walked.size() - 1))) {
          if (!roots.containsKey(trace)) {
            continue;
          }
          more.add(
              SeededTraces.row(
                  service,
                  trace,
                  roots.get(trace),
                  "late.child",
                  "INTERNAL",
                  base.plusSeconds(30),
                  5,
                  "ERROR",
                  null,
                  null,
                  null,
                  null,
                  null,
                  null,
                  "{}",
                  "[]"));
        }
        SeededTraces.insert(c, more);
        page++;
      } while (cursor != null && page < 100);

      assertEquals(walked.size(), new HashSet<>(walked).size(), "no trace repeats: " + walked);
      assertTrue(walked.containsAll(before), "every trace stored before the walk is returned");
      assertTrue(
          walked.containsAll(arrivedAhead), "traces arriving ahead of the walk are returned");
      assertTrue(arrivedBehind.stream().noneMatch(walked::contains), "newer arrivals come later");
      for (int i = 1; i < starts.size(); i++) {
        assertFalse(starts.get(i).isAfter(starts.get(i - 1)), "newest first");
      }
    }
  }

  @Test
  void limitAndCursorPageThroughTheSameOrder() {
    String base = "/api/traces?" + encode(scoped(""));
    List<String> all = traceIds(api.get(base + "&limit=500").array("traces"));
    List<String> paged = new ArrayList<>();
    String cursor = null;
    do {
      Reply reply = api.get(base + "&limit=5" + (cursor == null ? "" : "&cursor=" + cursor));
      JsonArray traces = reply.array("traces");
      assertTrue(traces.size() <= 5);
      paged.addAll(traceIds(traces));
      cursor = reply.json().isNull("next_cursor") ? null : reply.json().getString("next_cursor");
    } while (cursor != null);
    assertEquals(all, paged);
  }

  @Test
  void listAnswersWithAndWithoutTheTrailingSlash() {
    assertEquals(200, api.get("/api/traces").status());
    assertEquals(200, api.get("/api/traces/").status());
    assertEquals(200, api.get("/api/traces?limit=1").status());
    JsonObject body = api.get("/api/traces/?limit=1").json();
    assertTrue(body.containsKey("traces") && body.containsKey("next_cursor"), body.toString());
  }

  @Test
  void unknownTraceIs404() {
    String unknown = SeededTraces.traceId();
    for (String path : List.of("/api/traces/" + unknown, "/api/traces/" + unknown + "/spans")) {
      Reply reply = api.get(path);
      assertEquals(404, reply.status(), reply.body());
      assertTrue(reply.header("Content-Type").startsWith("application/json"));
      assertFalse(reply.json().getString("error").isBlank());
    }
  }

  @Test
  void hostileParametersGet400NamingTheParameter() {
    String cursorOfAnotherSearch =
        api.get("/api/traces?" + encode(scoped("")) + "&limit=1").json().getString("next_cursor");
    String tampered =
        cursorOfAnotherSearch.substring(0, 10)
            + (cursorOfAnotherSearch.charAt(10) == 'A' ? 'B' : 'A')
            + cursorOfAnotherSearch.substring(11);
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("/api/traces?plan=" + UUID.randomUUID(), "plan");
    cases.put("/api/traces?limit=0", "limit");
    cases.put("/api/traces?limit=501", "limit");
    cases.put("/api/traces?limit=abc", "limit");
    cases.put("/api/traces?limit=1&limit=2", "limit");
    // Ids are any text since V7 (ids of other systems, received by OTLP): too long or with a
    // control character is what a filter refuses.
    cases.put("/api/traces?task_id=" + "4".repeat(257), "task_id");
    cases.put("/api/traces?plan_id=%27%3B%0A%20DROP%20TABLE%20execution_traces%3B--", "plan_id");
    cases.put("/api/traces?agent_id=%09xyz", "agent_id");
    cases.put("/api/traces?tool_id=%20%20", "tool_id");
    cases.put("/api/traces?status=BROKEN", "status");
    cases.put("/api/traces?start_time_from=yesterday", "start_time_from");
    cases.put("/api/traces?start_time_to=2026-01", "start_time_to");
    cases.put("/api/traces?start_time_from=2026-01-01T00:00:00+01:00", "start_time_from");
    cases.put(
        "/api/traces?start_time_from=2026-02-01T00:00:00Z&start_time_to=2026-01-01T00:00:00Z",
        "start_time_from");
    cases.put("/api/traces?min_duration_ms=-5", "min_duration_ms");
    cases.put("/api/traces?max_duration_ms=NaN", "max_duration_ms");
    cases.put("/api/traces?min_duration_ms=10&max_duration_ms=1", "min_duration_ms");
    cases.put("/api/traces?attribute=novalue", "attribute");
    cases.put("/api/traces?attribute=%3Dvalue", "attribute");
    cases.put("/api/traces?attribute=a%00%3Db", "attribute");
    cases.put("/api/traces?operation_name=a%00b", "operation_name");
    cases.put("/api/traces?cursor=garbage", "cursor");
    cases.put("/api/traces?" + encode(scoped("")) + "&cursor=" + tampered, "cursor");
    cases.put("/api/traces?status=ERROR&cursor=" + cursorOfAnotherSearch, "cursor");
    cases.put("/api/traces/xyz", "trace_id");
    cases.put("/api/traces/" + "a".repeat(33), "trace_id");
    cases.put("/api/traces/" + "g".repeat(32) + "/spans", "trace_id");
    cases.put("/api/traces/" + SEED.crossing + "?depth=1", "depth");
    cases.put("/api/traces/" + SEED.crossing + "/spans?limit=0", "limit");
    cases.put("/api/traces/stats/summary?group_by=trace_id", "group_by");
    cases.put("/api/traces/stats/summary?limit=5", "limit");
    cases.put("/api/traces/stats/summary?start_time_from=2999-01-01T00:00:00Z", "start_time_from");
    cases.put("/api/traces/stats/summary?groupby=status", "groupby");
    cases.forEach(
        (path, parameter) -> {
          Reply reply = api.get(path);
          assertEquals(400, reply.status(), path + ": " + reply.body());
          assertTrue(reply.header("Content-Type").startsWith("application/json"), path);
          assertEquals(parameter, reply.json().getString("parameter"), path + ": " + reply.body());
          assertFalse(reply.json().getString("error").isBlank(), path);
          assertFalse(reply.body().contains("Exception"), path + ": " + reply.body());
        });
  }

  @Test
  void injectionLookingValuesAreJustValues() {
    for (String value :
        List.of("' OR '1'='1", "x\"); DROP TABLE execution_traces; --", "%", "_", "\\")) {
      Reply reply =
          api.get(
              "/api/traces?operation_name="
                  + URLEncoder.encode(value, StandardCharsets.UTF_8)
                  + "&attribute="
                  + URLEncoder.encode(value + "=" + value, StandardCharsets.UTF_8));
      assertEquals(200, reply.status(), value + ": " + reply.body());
      assertEquals(0, reply.array("traces").size());
    }
  }

  @Test
  void statisticsAnswerAsPlainSqlDoes() throws SQLException {
    Instant from = SEED.boundary.minus(1, ChronoUnit.HOURS);
    Instant to = SEED.boundary.plus(1, ChronoUnit.HOURS);
    for (String groupBy :
        List.of("operation_name", "agent_id", "tool_id", "status", "service_name")) {
      Reply reply =
          api.get(
              "/api/traces/stats/summary?service_name="
                  + SEED.service
                  + "&group_by="
                  + groupBy
                  + "&start_time_from="
                  + from
                  + "&start_time_to="
                  + to);
      assertEquals(200, reply.status(), reply.body());
      JsonObject stats = reply.json();
      assertEquals(from, Instant.parse(stats.getString("from")));
      assertEquals(to, Instant.parse(stats.getString("to")));
      Map<String, double[]> expected = plainSqlStats(groupBy, from, to);
      double[] overall = expected.remove("\u0000overall");
      assertStats(overall, stats, groupBy + " overall");
      assertEquals((long) overall[10], stats.getJsonNumber("trace_count").longValue());
      JsonArray groups = stats.getJsonArray("groups");
      assertEquals(expected.size(), groups.size(), groupBy + ": " + groups);
      for (JsonValue v : groups) {
        JsonObject group = v.asJsonObject();
        String key = group.isNull("key") ? null : group.getString("key");
        double[] row = expected.get(key == null ? "\u0000null" : key);
        assertNotNull(row, groupBy + " key " + key);
        assertStats(row, group, groupBy + " " + key);
      }
    }
  }

  @Test
  void statisticsDefaultToTheLast24Hours() {
    JsonObject stats = api.get("/api/traces/stats/summary").json();
    Instant from = Instant.parse(stats.getString("from"));
    Instant to = Instant.parse(stats.getString("to"));
    assertEquals(24 * 3600, from.until(to, ChronoUnit.SECONDS));
    assertTrue(Math.abs(to.until(Instant.now(), ChronoUnit.SECONDS)) < 300);
    assertTrue(stats.containsKey("duration_ms") && stats.containsKey("gen_ai"));
  }

  @Test
  void statisticsOfAnEmptyWindowAreZeroes() {
    JsonObject stats =
        api.get(
                "/api/traces/stats/summary?service_name="
                    + SEED.service
                    + "&start_time_from=2031-01-01T00:00:00Z&start_time_to=2031-01-02T00:00:00Z")
            .json();
    assertEquals(0, stats.getInt("span_count"));
    assertEquals(0, stats.getInt("trace_count"));
    assertEquals(0.0, stats.getJsonNumber("error_rate").doubleValue());
    assertTrue(stats.getJsonObject("duration_ms").isNull("p95"));
    assertEquals(0, stats.getJsonArray("groups").size());
  }

  @Test
  void openApiDescribesTheTraceEndpointsAndTheirParameters() {
    Reply reply = api.get("/openapi?format=JSON");
    assertEquals(200, reply.status(), reply.body());
    JsonObject paths = reply.json().getJsonObject("paths");
    for (String path :
        List.of(
            "/api/traces",
            "/api/traces/{trace_id}",
            "/api/traces/{trace_id}/spans",
            "/api/traces/stats/summary")) {
      assertTrue(paths.containsKey(path), path + " in " + paths.keySet());
    }
    String list = paths.getJsonObject("/api/traces").toString();
    String stats = paths.getJsonObject("/api/traces/stats/summary").toString();
    List<String> filters =
        List.of(
            "task_id",
            "plan_id",
            "agent_id",
            "tool_id",
            "status",
            "operation_name",
            "service_name",
            "start_time_from",
            "start_time_to",
            "min_duration_ms",
            "max_duration_ms",
            "attribute");
    // Both endpoints refer to one description of each shared filter (META-INF/openapi.yaml).
    JsonObject shared = reply.json().getJsonObject("components").getJsonObject("parameters");
    for (String parameter : filters) {
      String ref = "\"#/components/parameters/" + parameter + "\"";
      assertTrue(list.contains(ref), parameter + " in " + list);
      assertTrue(stats.contains(ref), parameter + " in " + stats);
      JsonObject described = shared.getJsonObject(parameter);
      assertNotNull(described, parameter + " in " + shared);
      assertEquals(parameter, described.getString("name"));
      assertEquals("query", described.getString("in"));
      assertFalse(described.getString("description").isBlank(), parameter);
    }
    for (String parameter : List.of("limit", "cursor")) {
      assertTrue(list.contains("\"" + parameter + "\""), parameter);
    }
    assertTrue(stats.contains("group_by"));
    String schemas = reply.json().getJsonObject("components").toString();
    assertTrue(
        schemas.contains("\"next_cursor\"") && schemas.contains("\"root_operation\""), schemas);
  }

  private static void assertStats(double[] expected, JsonObject actual, String what) {
    assertEquals((long) expected[0], actual.getJsonNumber("span_count").longValue(), what);
    assertEquals((long) expected[1], actual.getJsonNumber("error_count").longValue(), what);
    assertEquals(
        expected[1] / expected[0], actual.getJsonNumber("error_rate").doubleValue(), 1e-9, what);
    JsonObject d = actual.getJsonObject("duration_ms");
    String[] names = {"avg", "p50", "p95", "p99", "max"};
    for (int i = 0; i < names.length; i++) {
      assertEquals(
          expected[2 + i], d.getJsonNumber(names[i]).doubleValue(), 1e-6, what + " " + names[i]);
    }
    JsonObject g = actual.getJsonObject("gen_ai");
    assertEquals((long) expected[7], g.getJsonNumber("input_tokens").longValue(), what);
    assertEquals((long) expected[8], g.getJsonNumber("output_tokens").longValue(), what);
  }

  /** Per key (and "\0overall"): count, errors, avg, p50, p95, p99, max, in, out, -, traces. */
  private static Map<String, double[]> plainSqlStats(String column, Instant from, Instant to)
      throws SQLException {
    String aggregates =
        "count(*), count(*) FILTER (WHERE status = 'ERROR'), avg(duration_ms),"
            + " percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms),"
            + " percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms),"
            + " percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms), max(duration_ms),"
            + " coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0), 0,"
            + " count(DISTINCT trace_id)";
    String where =
        " FROM execution_traces WHERE service_name = ? AND start_time >= ? AND start_time < ?";
    Map<String, double[]> out = new HashMap<>();
    try (Connection c = SeededTraces.connect()) {
      for (boolean overall : new boolean[] {true, false}) {
        String sql =
            overall
                ? "SELECT NULL, " + aggregates + where
                : "SELECT " + column + "::text, " + aggregates + where + " GROUP BY 1";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setString(1, SEED.service);
          ps.setObject(2, from.atOffset(ZoneOffset.UTC));
          ps.setObject(3, to.atOffset(ZoneOffset.UTC));
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              double[] row = new double[11];
              for (int i = 0; i < row.length; i++) {
                row[i] = rs.getDouble(i + 2);
              }
              String key = rs.getString(1);
              out.put(overall ? "\u0000overall" : key == null ? "\u0000null" : key, row);
            }
          }
        }
      }
    }
    return out;
  }

  private static List<String> plainSqlTraceIds(Question q) throws SQLException {
    // One row per trace: its first span without a parent or with a parent that is not stored.
    String sql =
        "SELECT trace_id FROM (SELECT DISTINCT ON (r.trace_id) r.trace_id, r.start_time,"
            + " r.duration_ms, r.service_name FROM execution_traces r WHERE r.service_name = ?"
            + " AND (r.parent_span_id IS NULL OR (r.span_kind = 'SERVER' AND NOT EXISTS"
            + " (SELECT 1 FROM execution_traces p WHERE p.trace_id = r.trace_id"
            + " AND p.span_id = r.parent_span_id)))"
            + " ORDER BY r.trace_id, r.start_time, r.span_id) AS r WHERE "
            + q.traceCondition()
            + " AND EXISTS (SELECT 1 FROM execution_traces s WHERE s.trace_id = r.trace_id"
            + " AND s.service_name = r.service_name AND "
            + q.spanCondition()
            + ")"
            + " ORDER BY r.start_time DESC, r.trace_id DESC";
    try (Connection c = SeededTraces.connect();
        PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, SEED.service);
      List<String> ids = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      return ids;
    }
  }

  private static String scoped(String query) {
    return "service_name=" + SEED.service + (query.isEmpty() ? "" : "&" + query);
  }

  /** Encodes each value of a readable {@code a=b&c=d} query. */
  private static String encode(String query) {
    List<String> parts = new ArrayList<>();
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      parts.add(
          pair.substring(0, eq)
              + "="
              + URLEncoder.encode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return String.join("&", parts);
  }

  private static Map<String, List<String>> params(String query) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    for (String pair : encode(query).split("&")) {
      int eq = pair.indexOf('=');
      params
          .computeIfAbsent(pair.substring(0, eq), k -> new ArrayList<>())
          .add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  private static List<String> traceIds(JsonArray traces) {
    return traces.stream().map(t -> t.asJsonObject().getString("trace_id")).toList();
  }

  private static JsonObject find(JsonArray traces, String traceId) {
    return traces.stream()
        .map(JsonValue::asJsonObject)
        .filter(t -> t.getString("trace_id").equals(traceId))
        .findFirst()
        .orElse(null);
  }
}
