package io.aard.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import io.aard.testing.FakeOllama;
import io.aard.testing.ServerLog;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Logs linked to traces in Liberty's JSON log format: the Ollama test server writes {@code
 * messages.log} as JSON ({@code WLP_LOGGING_MESSAGE_FORMAT=json} in its server.env), where a record
 * written while a span is current has {@code ext_trace_id} and {@code ext_span_id} fields.
 */
@ExtendWith(ArquillianExtension.class)
class JsonLogCorrelationWithOllamaIT {

  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final Api api = new Api();
  private FakeOllama ollama;

  @BeforeEach
  void startOllama() throws Exception {
    ollama = new FakeOllama(Integer.getInteger("aard.it.fake.ollama.port", 9281)).start();
  }

  @AfterEach
  void stopOllama() {
    ollama.close();
  }

  @Test
  void jsonRecordWrittenWhileASpanIsCurrentHasTraceAndSpanFields() throws Exception {
    String taskId = api.createTask("Write a short greeting for the operators");
    Reply planned = api.post("/api/tasks/" + taskId + "/plan");
    assertEquals(201, planned.status(), planned.body());
    String planId = planned.json().getString("id");
    String traceId = planned.header("traceparent").substring(3, 35);

    String line =
        ServerLog.awaitLine(
            l -> l.startsWith("{") && l.contains("Plan " + planId + " created"), DEADLINE);
    JsonObject record = parse(line);
    assertEquals("io.aard.plan.Planner", record.getString("module"), line);
    assertEquals(traceId, record.getString("ext_trace_id"), line);
    String spanId = record.getString("ext_span_id");
    assertTrue(spanId.matches("[0-9a-f]{16}"), line);
    assertTrue(
        record.getString("message").startsWith("trace_id=" + traceId + " span_id=" + spanId),
        "the message carries the same ids: " + line);
  }

  @Test
  void jsonRecordWrittenOutsideAnySpanHasNoTraceFields() throws Exception {
    String line = ServerLog.awaitLine(l -> l.contains("Database schema at version"), DEADLINE);
    JsonObject record = parse(line);
    assertTrue(!record.containsKey("ext_trace_id") && !record.containsKey("ext_span_id"), line);
  }

  private static JsonObject parse(String line) {
    try (var reader = Json.createReader(new StringReader(line))) {
      return reader.readObject();
    }
  }
}
