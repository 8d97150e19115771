package io.aard.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import io.aard.testing.FakeOllama;
import io.aard.testing.FakeOllama.Behaviour;
import io.aard.testing.OtlpReceiver;
import io.aard.testing.OtlpReceiver.Span;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Task → plan → execute with the Ollama provider on a real Liberty whose {@code
 * TRACING_EXPORTER=database,otlp} points at an OTLP/HTTP receiver inside this test: the spans as a
 * Jaeger or a Collector would receive them, decoded from the protobuf on the wire.
 */
@ExtendWith(ArquillianExtension.class)
class OtlpExportWithOllamaIT {

  /** The SDK exports in batches every second; this leaves room for a slow machine. */
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private static final String PLAN_ROUTE = "POST /api/tasks/{task_id}/plan";
  private static final String EXECUTE_ROUTE = "POST /api/plans/{plan_id}/execute";

  /** One per class: the port is the server's configured endpoint, and only one can bind it. */
  private static OtlpReceiver otlp;

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final Api api = new Api();
  private FakeOllama ollama;

  @BeforeAll
  static void startReceiver() throws Exception {
    otlp = new OtlpReceiver(Integer.getInteger("aard.it.otlp.port", 9282)).start();
  }

  @AfterAll
  static void stopReceiver() {
    otlp.close();
  }

  @BeforeEach
  void startOllama() throws Exception {
    ollama = new FakeOllama(Integer.getInteger("aard.it.fake.ollama.port", 9281)).start();
  }

  @AfterEach
  void stopOllama() {
    ollama.close();
  }

  @Test
  void planningArrivesAsOneLinkedTraceWithTheIdsOnEverySpan() throws Exception {
    String taskId = api.createTask("Write a short greeting for the operators");
    Reply planned = api.post("/api/tasks/" + taskId + "/plan");
    assertEquals(201, planned.status(), planned.body());
    String planId = planned.json().getString("id");

    List<Span> trace =
        otlp.awaitTrace(
            traceId(planned),
            holds(
                    PLAN_ROUTE,
                    "planning.generate_plan",
                    "planning.analyze_task",
                    "planning.decompose_task")
                .and(spans -> count(spans, "ollama.generate") == 2),
            DEADLINE);
    Map<String, Span> byName = byName(trace);

    Span server = byName.get(PLAN_ROUTE);
    assertEquals("SERVER", server.kind());
    assertEquals(spanId(planned), server.spanId(), "traceparent names the server span");
    assertNull(server.parentSpanId(), "the client sent no traceparent");
    Span generate = byName.get("planning.generate_plan");
    Span analyze = byName.get("planning.analyze_task");
    Span decompose = byName.get("planning.decompose_task");
    assertEquals(server.spanId(), generate.parentSpanId());
    assertEquals(generate.spanId(), analyze.parentSpanId());
    assertEquals(generate.spanId(), decompose.parentSpanId());
    assertTrue(((Long) decompose.attribute("aard.step_count")) > 0, decompose.toString());

    List<Span> models = named(trace, "ollama.generate");
    assertEquals(
        List.of(analyze.spanId(), decompose.spanId()).stream().sorted().toList(),
        models.stream().map(Span::parentSpanId).sorted().toList(),
        "each model call is a child of the planning step that asked");
    for (Span model : models) {
      assertGenerationAttributes(model);
    }
    assertIdsOnEverySpan(trace, taskId, planId);
  }

  @Test
  void executionArrivesWithStepSpansAndTheirModelCalls() throws Exception {
    String taskId = api.createTask("Say hello to the operators");
    Reply planned = api.post("/api/tasks/" + taskId + "/plan");
    assertEquals(201, planned.status(), planned.body());
    String planId = planned.json().getString("id");
    Reply executed = api.post("/api/plans/" + planId + "/execute");
    assertEquals("COMPLETED", executed.json().getString("status"), executed.body());
    int stepCount = executed.json().getJsonArray("steps").size();

    List<Span> trace =
        otlp.awaitTrace(
            traceId(executed),
            holds(EXECUTE_ROUTE, "ollama.generate")
                .and(spans -> count(spans, "execution.execute_step") == stepCount),
            DEADLINE);
    Span server = byName(trace).get(EXECUTE_ROUTE);
    assertEquals(spanId(executed), server.spanId());
    List<Span> steps = named(trace, "execution.execute_step");
    for (Span step : steps) {
      assertEquals(server.spanId(), step.parentSpanId());
      assertNotNull(step.attribute("aard.step_index"), step.toString());
      assertNotNull(step.attribute("aard.agent_id"), step.toString());
      assertNotNull(step.attribute("aard.tool_id"), step.toString());
      assertNotNull(step.attribute("gen_ai.tool.name"), step.toString());
    }
    Span model = byName(trace).get("ollama.generate");
    // The model call is the step's agent's: under the step's invoke_agent span.
    Span agent =
        trace.stream()
            .filter(s -> s.spanId().equals(model.parentSpanId()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("ollama.generate without a parent: " + trace));
    assertEquals("invoke_agent", agent.attribute("gen_ai.operation.name"), agent.toString());
    Span askingStep =
        steps.stream()
            .filter(s -> s.spanId().equals(agent.parentSpanId()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("an agent span outside a step: " + trace));
    assertEquals("execute_tool", askingStep.attribute("gen_ai.operation.name"));
    assertEquals(askingStep.attribute("gen_ai.agent.name"), agent.attribute("gen_ai.agent.name"));
    assertEquals("llm", askingStep.attribute("gen_ai.tool.name"));
    assertEquals(askingStep.attribute("aard.tool_id"), model.attribute("aard.tool_id"));
    assertGenerationAttributes(model);
    assertIdsOnEverySpan(trace, taskId, planId);
  }

  @Test
  void failingModelCallIsAnErrorSpanWithOllamasMessage() throws Exception {
    ollama.respondWith(Behaviour.HTTP_500);
    String taskId = api.createTask("Summarise the incident report");
    Reply planned = api.post("/api/tasks/" + taskId + "/plan");
    assertEquals(502, planned.status(), planned.body());

    List<Span> trace =
        otlp.awaitTrace(
            traceId(planned),
            holds(PLAN_ROUTE, "planning.generate_plan", "ollama.generate"),
            DEADLINE);
    Span model = byName(trace).get("ollama.generate");
    assertEquals("ERROR", model.statusCode());
    assertTrue(model.statusMessage().contains("500"), model.statusMessage());
    assertEquals("ERROR", byName(trace).get("planning.generate_plan").statusCode());
  }

  private void assertGenerationAttributes(Span model) {
    assertEquals("CLIENT", model.kind());
    assertEquals("ollama", model.attribute("gen_ai.provider.name"), model.toString());
    assertEquals("chat", model.attribute("gen_ai.operation.name"), model.toString());
    assertEquals("fake-llama", model.attribute("gen_ai.request.model"), model.toString());
    assertEquals("fake-llama", model.attribute("gen_ai.response.model"), model.toString());
    assertTrue((Long) model.attribute("gen_ai.usage.input_tokens") > 0, model.toString());
    assertTrue((Long) model.attribute("gen_ai.usage.output_tokens") > 0, model.toString());
    assertEquals("127.0.0.1", model.attribute("server.address"));
    assertEquals((long) ollama.port(), model.attribute("server.port"));
    assertNull(model.attribute("gen_ai.input.messages"), "content is not captured by default");
    assertEquals("UNSET", model.statusCode());
  }

  private static void assertIdsOnEverySpan(List<Span> trace, String taskId, String planId) {
    for (Span span : trace) {
      assertEquals(taskId, span.attribute("aard.task_id"), span.toString());
      assertEquals(taskId, span.attribute("gen_ai.conversation.id"), span.toString());
      assertEquals(planId, span.attribute("aard.plan_id"), span.toString());
      assertEquals("aard", span.resource().get("service.name"), span.name());
    }
  }

  /** All named spans have arrived (the server span ends, and is exported, last). */
  private static Predicate<List<Span>> holds(String... names) {
    return spans -> List.of(names).stream().allMatch(n -> count(spans, n) > 0);
  }

  private static long count(List<Span> spans, String name) {
    return spans.stream().filter(s -> s.name().equals(name)).count();
  }

  private static List<Span> named(List<Span> spans, String name) {
    return spans.stream().filter(s -> s.name().equals(name)).toList();
  }

  private static Map<String, Span> byName(List<Span> spans) {
    return spans.stream()
        .collect(Collectors.toMap(Span::name, Function.identity(), (first, next) -> first));
  }

  private static String traceId(Reply reply) {
    String traceparent = reply.header("traceparent");
    assertNotNull(traceparent, "response without traceparent");
    return traceparent.substring(3, 35);
  }

  private static String spanId(Reply reply) {
    return reply.header("traceparent").substring(36, 52);
  }
}
