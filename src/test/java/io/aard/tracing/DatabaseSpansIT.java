package io.aard.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import io.aard.testing.SpanTable;
import io.aard.testing.SpanTable.Row;
import jakarta.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Database spans in {@code execution_traces} on the builtin server ({@code
 * TRACING_EXPORTER=database}, {@code TRACING_DB_STATEMENTS} at its default): the create, plan and
 * execute requests' statements are CLIENT spans under the spans that ran them, with the database
 * conventions' attributes, the work's ids and no literal value; the observer's own statements are
 * never stored, and no database span starts a trace.
 */
@ExtendWith(ArquillianExtension.class)
class DatabaseSpansIT {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final String SPANS_OF_TRACE =
      "SELECT trace_id, span_id, parent_span_id, operation_name, span_kind, status, task_id,"
          + " plan_id, agent_id, tool_id, attributes::text AS attributes,"
          + " attributes->>'db.system.name' AS db_system,"
          + " attributes->>'db.query.text' AS query_text"
          + " FROM execution_traces WHERE trace_id = ?";

  /** Words and numbers of the task that must appear in no statement's span. */
  private static final String DESCRIPTION =
      "Calculate (17.5 + 24.5) * 3, then count the words in 'confidential zebra memo', "
          + "then write a one-line summary of the results.";

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final Api api = new Api();

  @Test
  void walkThroughStatementsAreClientSpansUnderTheSpansThatRanThem() throws Exception {
    Reply created =
        api.post("/api/tasks", Json.createObjectBuilder().add("description", DESCRIPTION).build());
    assertEquals(201, created.status(), created.body());
    String taskId = created.json().getString("id");
    Reply planned = api.post("/api/tasks/" + taskId + "/plan");
    assertEquals(201, planned.status(), planned.body());
    String planId = planned.json().getString("id");
    Reply executed = api.post("/api/plans/" + planId + "/execute");
    assertEquals("COMPLETED", executed.json().getString("status"), executed.body());

    // create: the task's INSERT under the request's server span
    List<Row> create = awaitDatabaseSpan(traceId(created), "INSERT tasks");
    Row insertTask = named(create, "INSERT tasks");
    assertEquals(root(create).get("span_id"), insertTask.get("parent_span_id"));
    assertConventions(insertTask, "INSERT", "tasks");

    // plan: the plan and its steps written under the plan request, with the task and plan ids
    List<Row> plan = awaitDatabaseSpan(traceId(planned), "INSERT plans");
    Row insertPlan = named(plan, "INSERT plans");
    assertConventions(insertPlan, "INSERT", "plans");
    assertEquals(taskId, insertPlan.get("task_id"));
    assertEquals(planId, insertPlan.get("plan_id"));
    assertTrue(
        plan.stream().anyMatch(r -> r.get("operation_name").endsWith("INSERT plan_steps")),
        names(plan));
    assertUnderSpansOfTheirTrace(plan);

    // execute: the steps' updates, inside the work context of the plan (and step)
    List<Row> execute = awaitDatabaseSpan(traceId(executed), "UPDATE plan_steps");
    List<Row> stepUpdates =
        execute.stream()
            .filter(r -> r.get("operation_name").endsWith("UPDATE plan_steps"))
            .toList();
    assertFalse(stepUpdates.isEmpty(), names(execute));
    for (Row update : stepUpdates) {
      assertConventions(update, update.get("operation_name").split(" plan_steps")[0], "plan_steps");
      assertEquals(taskId, update.get("task_id"), update.toString());
      assertEquals(planId, update.get("plan_id"), update.toString());
    }
    assertTrue(
        execute.stream().anyMatch(r -> r.get("operation_name").endsWith("UPDATE plans")),
        names(execute));
    assertUnderSpansOfTheirTrace(execute);

    // no literal value of the task in any statement of the three traces
    for (List<Row> trace : List.of(create, plan, execute)) {
      for (Row span : databaseSpans(trace)) {
        String text = span.get("attributes");
        for (String secret : List.of("zebra", "confidential", "17.5", "24.5", "126")) {
          assertFalse(text.contains(secret), secret + " in " + text);
        }
      }
    }

    // Fewer reads per step: each of a step's two updates reads the step and locks its plan in one
    // statement (it was two). EclipseLink still reads all steps after each locking read of the
    // plan. For 3 steps that was 9 SELECT plans and 14 SELECT plan_steps (23), now 17: 4 per step
    // and 5 for the start, the completion and the answer.
    int steps = executed.json().getJsonArray("steps").size();
    assertTrue(
        count(execute, "SELECT plan_steps") + count(execute, "SELECT plans") <= 4L * steps + 5,
        "reads of plans and steps: " + names(execute));
    System.out.println(
        "Statements of the execute request: "
            + databaseSpans(execute).stream()
                .collect(
                    Collectors.groupingBy(
                        r -> r.get("operation_name"),
                        java.util.TreeMap::new,
                        Collectors.counting())));
    System.out.printf(
        "Database spans of the walk-through: create %d of %d spans, plan %d of %d, execute %d of"
            + " %d%n",
        databaseSpans(create).size(),
        create.size(),
        databaseSpans(plan).size(),
        plan.size(),
        databaseSpans(execute).size(),
        execute.size());
  }

  /**
   * After requests that read traces, health and statistics (the observer's work) and the span
   * writer's inserts of everything above: no stored span is a statement on {@code
   * execution_traces}, and no database span is the root of a trace.
   */
  @Test
  void theObserversOwnStatementsAreNeverStoredAndNoDatabaseSpanIsARoot() throws Exception {
    String taskId = api.createTask("Calculate 6 * 7");
    Reply planned = api.post("/api/tasks/" + taskId + "/plan");
    assertEquals(201, planned.status(), planned.body());
    awaitDatabaseSpan(traceId(planned), "INSERT plans");
    assertEquals(200, api.get("/api/traces/?limit=5").status());
    assertEquals(200, api.get("/api/traces/stats/summary").status());
    assertEquals(200, api.get("/api/traces/" + traceId(planned)).status());
    api.get("/health");
    // A later traced request: once its spans are stored, the ones ended before it would be too.
    Reply task = api.get("/api/tasks/" + taskId);
    awaitDatabaseSpan(traceId(task), "SELECT tasks");

    List<Row> onTraces =
        SpanTable.query(
            "SELECT operation_name, attributes::text AS attributes FROM execution_traces"
                + " WHERE attributes->>'db.system.name' IS NOT NULL"
                + " AND (operation_name ILIKE ? OR attributes->>'db.query.text' ILIKE"
                + " '%execution_traces%')",
            "%execution_traces%");
    assertEquals(List.of(), onTraces);
    List<Row> rootStatements =
        SpanTable.query(
            "SELECT trace_id, operation_name FROM execution_traces"
                + " WHERE attributes->>'db.system.name' IS NOT NULL AND parent_span_id IS NULL"
                + " AND service_name = ?",
            "aard");
    assertEquals(List.of(), rootStatements);
    List<Row> all =
        SpanTable.query(
            "SELECT count(*) AS n FROM execution_traces WHERE attributes->>'db.system.name' IS NOT NULL"
                + " AND service_name = ?",
            "aard");
    assertTrue(Long.parseLong(all.get(0).get("n")) > 0, "database spans are stored at all");
  }

  private static void assertConventions(Row span, String operation, String collection) {
    assertEquals("CLIENT", span.get("span_kind"), span.toString());
    assertEquals("postgresql", span.get("db_system"), span.toString());
    String attributes = span.get("attributes");
    assertTrue(attributes.contains("\"db.namespace\": \""), attributes);
    assertTrue(attributes.contains("\"db.operation.name\": \"" + operation + "\""), attributes);
    assertTrue(attributes.contains("\"db.collection.name\": \"" + collection + "\""), attributes);
    assertTrue(attributes.contains("\"server.address\": \""), attributes);
    assertTrue(attributes.contains("\"server.port\": "), attributes);
    assertNotNull(span.get("query_text"), attributes);
    assertTrue(span.get("query_text").contains(collection), span.get("query_text"));
    if (operation.startsWith("BATCH ")) {
      assertTrue(attributes.contains("\"db.operation.batch.size\": "), attributes);
    }
  }

  /** Every database span has a parent, and that parent is a span of the same trace. */
  private static void assertUnderSpansOfTheirTrace(List<Row> trace) {
    Map<String, Row> byId =
        trace.stream().collect(Collectors.toMap(r -> r.get("span_id"), Function.identity()));
    for (Row span : databaseSpans(trace)) {
      String parent = span.get("parent_span_id");
      assertNotNull(parent, "a database span is a root: " + span);
      assertTrue(byId.containsKey(parent), "parent not in the trace: " + span);
      assertFalse(
          "postgresql".equals(byId.get(parent).get("db_system")),
          "a database span under another: " + span);
    }
  }

  /** How many database spans of the trace are named {@code name}. */
  private static long count(List<Row> trace, String name) {
    return databaseSpans(trace).stream().filter(r -> r.get("operation_name").equals(name)).count();
  }

  private static List<Row> databaseSpans(List<Row> trace) {
    return trace.stream().filter(r -> "postgresql".equals(r.get("db_system"))).toList();
  }

  private static Row root(List<Row> trace) {
    return trace.stream()
        .filter(r -> r.get("parent_span_id") == null)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no root in " + names(trace)));
  }

  private static Row named(List<Row> trace, String name) {
    return trace.stream()
        .filter(r -> r.get("operation_name").equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in " + names(trace)));
  }

  private static String names(List<Row> trace) {
    return trace.stream()
        .map(r -> r.get("operation_name") + "(" + r.get("span_kind") + ")")
        .toList()
        .toString();
  }

  /** The trace once its root and a database span named like {@code name} are stored. */
  private static List<Row> awaitDatabaseSpan(String traceId, String name) throws Exception {
    return SpanTable.await(
        SPANS_OF_TRACE,
        traceId,
        rows ->
            rows.stream().anyMatch(r -> r.get("parent_span_id") == null)
                && rows.stream().anyMatch(r -> r.get("operation_name").endsWith(name)),
        DEADLINE);
  }

  private static String traceId(Reply reply) {
    String traceparent = reply.header("traceparent");
    assertNotNull(traceparent, "response without traceparent");
    return traceparent.substring(3, 35);
  }
}
