package io.aard.tracing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import io.aard.testing.SpanTable;
import io.aard.testing.SpanTable.Row;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The OpenTelemetry GenAI conventions on AARD's stored spans (builtin server, {@code
 * TRACING_EXPORTER=database}): a task's create, plan and execute traces are one conversation (every
 * span's {@code gen_ai.conversation.id} is the task id), planning is a {@code plan} operation, a
 * step an {@code execute_tool} with its tool and call id, the agent running it an {@code
 * invoke_agent} span, a model call a {@code chat}, and every ERROR span has an {@code error.type}.
 * And the original system's example of a time without an offset works in the trace API.
 */
@ExtendWith(ArquillianExtension.class)
class GenAiConventionsIT {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final String SPANS_OF_TRACE =
      "SELECT span_id, parent_span_id, operation_name, span_kind, status, task_id,"
          + " attributes->>'gen_ai.conversation.id' AS conversation_id,"
          + " attributes->>'gen_ai.operation.name' AS operation,"
          + " attributes->>'gen_ai.tool.name' AS tool_name,"
          + " attributes->>'gen_ai.tool.call.id' AS tool_call_id,"
          + " attributes->>'gen_ai.agent.name' AS agent_name,"
          + " attributes->>'aard.step_index' AS step_index,"
          + " attributes->>'error.type' AS error_type"
          + " FROM execution_traces WHERE trace_id = ? ORDER BY start_time";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final Api api = new Api();

  @BeforeEach
  void onTheBuiltinServer() {
    // -Dit.test=GenAiConventionsIT also selects this class for the Ollama server's run.
    assumeTrue(
        "builtin".equals(System.getProperty("arquillian.launch", "builtin")),
        "written for the builtin-planner test server");
  }

  @Test
  void aTasksThreeTracesAreOneConversationOfGenAiOperations() throws Exception {
    Reply created =
        api.post(
            "/api/tasks",
            Json.createObjectBuilder()
                .add("description", "Calculate 6 * 7, then write a one-line summary of the result.")
                .build());
    assertEquals(201, created.status(), created.body());
    String taskId = created.json().getString("id");
    Reply planned = api.post("/api/tasks/" + taskId + "/plan");
    assertEquals(201, planned.status(), planned.body());
    String planId = planned.json().getString("id");
    Reply executed = api.post("/api/plans/" + planId + "/execute");
    assertEquals("COMPLETED", executed.json().getString("status"), executed.body());
    JsonArray steps = executed.json().getJsonArray("steps");
    assertEquals(2, steps.size(), executed.body());

    List<Row> create = settled(traceId(created), has("INSERT tasks", 1));
    List<Row> plan =
        settled(traceId(planned), has("planning.generate_plan", 1).and(has("builtin.generate", 2)));
    List<Row> execute =
        settled(
            traceId(executed),
            has("execution.execute_step", 2)
                .and(rows -> count(rows, "invoke_agent") == 2)
                .and(has("builtin.generate", 1)));

    for (List<Row> trace : List.of(create, plan, execute)) {
      for (Row span : trace) {
        assertEquals(taskId, span.get("conversation_id"), span.toString());
        assertEquals(taskId, span.get("task_id"), span.toString());
      }
    }

    assertEquals("plan", named(plan, "planning.generate_plan").get(0).get("operation"));
    for (Row model : named(plan, "builtin.generate")) {
      assertEquals("chat", model.get("operation"), model.toString());
    }

    Map<String, Row> byId =
        execute.stream().collect(Collectors.toMap(r -> r.get("span_id"), Function.identity()));
    for (Row step : named(execute, "execution.execute_step")) {
      JsonObject expected = steps.getJsonObject(Integer.parseInt(step.get("step_index")));
      assertEquals("execute_tool", step.get("operation"), step.toString());
      assertEquals(expected.getString("tool_name"), step.get("tool_name"), step.toString());
      assertEquals(expected.getString("id"), step.get("tool_call_id"), step.toString());
      assertEquals(expected.getString("agent_name"), step.get("agent_name"), step.toString());
    }
    List<Row> agents =
        execute.stream().filter(r -> r.get("operation_name").startsWith("invoke_agent")).toList();
    for (Row agent : agents) {
      Row step = byId.get(agent.get("parent_span_id"));
      assertNotNull(step, "an agent span outside a step: " + agent);
      assertEquals("execution.execute_step", step.get("operation_name"));
      assertEquals("invoke_agent " + step.get("agent_name"), agent.get("operation_name"));
      assertEquals("invoke_agent", agent.get("operation"), agent.toString());
      assertEquals(step.get("agent_name"), agent.get("agent_name"), agent.toString());
      assertEquals("INTERNAL", agent.get("span_kind"));
    }
    Row model = named(execute, "builtin.generate").get(0);
    assertEquals("chat", model.get("operation"));
    Row agentOfModel = byId.get(model.get("parent_span_id"));
    assertEquals("invoke_agent", agentOfModel.get("operation"), "the model call is the agent's");
    assertEquals("llm", byId.get(agentOfModel.get("parent_span_id")).get("tool_name"));
  }

  @Test
  void everyErrorSpanSaysWhatKindOfErrorItIs() throws Exception {
    String taskId = api.createTask("Calculate 1 / 0");
    Reply planned = api.post("/api/tasks/" + taskId + "/plan");
    assertEquals(201, planned.status(), planned.body());
    Reply executed = api.post("/api/plans/" + planned.json().getString("id") + "/execute");
    assertEquals("FAILED", executed.json().getString("status"), executed.body());
    List<Row> execute =
        settled(
            traceId(executed),
            has("execution.execute_step", 1).and(rows -> count(rows, "invoke_agent") == 1));
    Row step = named(execute, "execution.execute_step").get(0);
    assertEquals("ERROR", step.get("status"));
    assertEquals("tool_error", step.get("error_type"));
    Row agent =
        execute.stream()
            .filter(r -> "invoke_agent".equals(r.get("operation")))
            .findFirst()
            .orElseThrow();
    assertEquals("ERROR", agent.get("status"));
    assertEquals("tool_error", agent.get("error_type"));
    for (Row span : execute) {
      assertEquals(taskId, span.get("conversation_id"), span.toString());
    }

    // Planning a task that does not exist: the @WithSpan span fails with the exception thrown.
    String unknown = UUID.randomUUID().toString();
    Reply notFound = api.post("/api/tasks/" + unknown + "/plan");
    assertEquals(404, notFound.status(), notFound.body());
    List<Row> failedPlanning = settled(traceId(notFound), has("planning.generate_plan", 1));
    Row generate = named(failedPlanning, "planning.generate_plan").get(0);
    assertEquals("ERROR", generate.get("status"));
    assertEquals("io.aard.NotFound", generate.get("error_type"));
    assertEquals(unknown, generate.get("conversation_id"));

    List<Row> errors = new ArrayList<>();
    for (List<Row> trace : List.of(execute, failedPlanning)) {
      trace.stream().filter(r -> "ERROR".equals(r.get("status"))).forEach(errors::add);
    }
    assertTrue(errors.size() >= 3, errors.toString());
    for (Row error : errors) {
      assertNotNull(error.get("error_type"), error.toString());
    }
  }

  /** The original system's README queries statistics with a time that has no offset. */
  @Test
  void timesWithoutAnOffsetAndBareDatesAreUtc() {
    Reply stats = api.get("/api/traces/stats/summary?start_time_from=2025-01-01T00:00:00");
    assertEquals(200, stats.status(), stats.body());
    Instant from = Instant.parse(stats.json().getString("from"));
    assertFalse(from.isBefore(Instant.parse("2025-01-01T00:00:00Z")), stats.body());

    Reply window =
        api.get("/api/traces/stats/summary?start_time_from=2025-01-01&start_time_to=2125-01-01");
    assertEquals(200, window.status(), window.body());
    assertFalse(
        Instant.parse(window.json().getString("from"))
            .isBefore(Instant.parse("2025-01-01T00:00:00Z")),
        window.body());
    assertTrue(
        Instant.parse(window.json().getString("to"))
                .compareTo(Instant.parse("2125-01-01T00:00:00Z"))
            <= 0,
        window.body());

    Reply search =
        api.get(
            "/api/traces/?limit=1&start_time_from=2025-01-01T00:00:00.250&start_time_to=2125-01-01");
    assertEquals(200, search.status(), search.body());

    for (String bad : List.of("yesterday", "2025-13-01", "2025-01-01T24:61:00")) {
      Reply refused = api.get("/api/traces/stats/summary?start_time_from=" + bad);
      assertEquals(400, refused.status(), refused.body());
      assertEquals("start_time_from", refused.json().getString("parameter"), refused.body());
    }
    Reply refusedTo = api.get("/api/traces/?start_time_to=2025-01");
    assertEquals(400, refusedTo.status(), refusedTo.body());
    assertEquals("start_time_to", refusedTo.json().getString("parameter"));
  }

  private static Predicate<List<Row>> has(String operation, int atLeast) {
    return rows -> count(rows, operation) >= atLeast;
  }

  private static long count(List<Row> rows, String operationPrefix) {
    return rows.stream().filter(r -> r.get("operation_name").startsWith(operationPrefix)).count();
  }

  private static List<Row> named(List<Row> rows, String operation) {
    List<Row> found = rows.stream().filter(r -> r.get("operation_name").equals(operation)).toList();
    assertFalse(found.isEmpty(), operation + " not in " + rows);
    return found;
  }

  /**
   * The trace's stored spans once its root and {@code expected} are there and two reads half a
   * second apart agree: the writer threads may store a trace's batches in any order.
   */
  private static List<Row> settled(String traceId, Predicate<List<Row>> expected) throws Exception {
    SpanTable.await(
        SPANS_OF_TRACE,
        traceId,
        rows -> rows.stream().anyMatch(r -> r.get("parent_span_id") == null) && expected.test(rows),
        DEADLINE);
    List<List<Row>> last = new ArrayList<>(List.of(List.of()));
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              List<Row> now = SpanTable.query(SPANS_OF_TRACE, traceId);
              boolean same = now.size() == last.get(0).size();
              last.set(0, now);
              return same;
            });
    return last.get(0);
  }

  private static String traceId(Reply reply) {
    String traceparent = reply.header("traceparent");
    assertNotNull(traceparent, "response without traceparent");
    return traceparent.substring(3, 35);
  }
}
