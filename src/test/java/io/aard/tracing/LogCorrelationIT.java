package io.aard.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import io.aard.testing.ServerLog;
import io.aard.testing.SpanTable;
import io.aard.testing.SpanTable.Row;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Logs linked to traces in Liberty's plain {@code messages.log}: a line AARD writes while a span is
 * current names that span's trace and span ids, so an operator can go from the line to the trace.
 */
@ExtendWith(ArquillianExtension.class)
class LogCorrelationIT {

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final Pattern IDS =
      Pattern.compile("trace_id=([0-9a-f]{32}) span_id=([0-9a-f]{16}) ");

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final Api api = new Api();

  @Test
  void lineWrittenWhileASpanIsCurrentCarriesItsTraceAndSpanIds() throws Exception {
    String taskId = api.createTask("Calculate 6 * 7");
    Reply planned = api.post("/api/tasks/" + taskId + "/plan");
    assertEquals(201, planned.status(), planned.body());
    String planId = planned.json().getString("id");
    String traceId = planned.header("traceparent").substring(3, 35);

    String line =
        ServerLog.awaitLine(l -> l.contains("Plan " + planId + " created for task"), DEADLINE);
    assertTrue(line.contains(" io.aard.plan.Planner "), line);
    Matcher ids = IDS.matcher(line);
    assertTrue(ids.find(), "plain line without ids: " + line);
    assertEquals(traceId, ids.group(1), "the trace of the response's traceparent: " + line);
    assertTrue(
        line.indexOf("trace_id=") < line.indexOf("Plan " + planId),
        "the ids lead the message: " + line);

    List<Row> spans =
        SpanTable.await(
            "SELECT * FROM execution_traces WHERE trace_id = ?",
            traceId,
            rows -> rows.stream().anyMatch(r -> r.get("span_id").equals(ids.group(2))),
            DEADLINE);
    Row current =
        spans.stream().filter(r -> r.get("span_id").equals(ids.group(2))).findFirst().orElseThrow();
    assertEquals("planning.generate_plan", current.get("operation_name"), "the span logged in");
  }

  @Test
  void lineWrittenOutsideAnySpanCarriesNoIds() throws Exception {
    // Written at start-up, before any request: no span is current then.
    String line = ServerLog.awaitLine(l -> l.contains("Database schema at version"), DEADLINE);
    assertFalse(line.contains("trace_id="), line);
  }
}
