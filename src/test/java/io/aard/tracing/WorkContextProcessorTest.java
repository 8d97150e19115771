package io.aard.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The work context's ids on every span, and the task as the GenAI conventions' conversation. */
class WorkContextProcessorTest {

  private static final UUID TASK = UUID.fromString("3f1c2d4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f");
  private static final UUID PLAN = UUID.fromString("0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
  private static final UUID AGENT = UUID.fromString("11111111-2222-4333-8444-555555555555");
  private static final UUID TOOL = UUID.fromString("66666666-7777-4888-9999-000000000000");

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private SdkTracerProvider tracerProvider;
  private Tracer tracer;

  @BeforeEach
  void setUp() {
    tracerProvider =
        SdkTracerProvider.builder()
            .addSpanProcessor(new WorkContextProcessor())
            .addSpanProcessor(SimpleSpanProcessor.create(exported))
            .build();
    tracer = tracerProvider.get("test");
  }

  @AfterEach
  void tearDown() {
    tracerProvider.close();
  }

  @Test
  void everySpanOfATasksWorkHasTheTaskAsItsConversation() {
    Span server = tracer.spanBuilder("POST /api/plans/{plan_id}/execute").startSpan();
    try (Scope request = server.makeCurrent()) {
      try (Scope work = WorkContext.enter(TASK, PLAN)) {
        tracer.spanBuilder("UPDATE plans").setSpanKind(SpanKind.CLIENT).startSpan().end();
        Span step = tracer.spanBuilder("execution.execute_step").startSpan();
        try (Scope inStep = step.makeCurrent();
            Scope agentAndTool = WorkContext.enterStep(AGENT, TOOL)) {
          tracer.spanBuilder("builtin.generate").startSpan().end();
        } finally {
          step.end();
        }
      }
    } finally {
      server.end();
    }

    Map<String, SpanData> spans = byName();
    assertEquals(4, spans.size(), spans::toString);
    for (SpanData span : spans.values()) {
      assertEquals(TASK.toString(), span.getAttributes().get(WorkContext.TASK_ID), span::toString);
      assertEquals(
          TASK.toString(), span.getAttributes().get(WorkContext.CONVERSATION_ID), span::toString);
      assertEquals(PLAN.toString(), span.getAttributes().get(WorkContext.PLAN_ID), span::toString);
    }
    SpanData model = spans.get("builtin.generate");
    assertEquals(AGENT.toString(), model.getAttributes().get(WorkContext.AGENT_ID));
    assertEquals(TOOL.toString(), model.getAttributes().get(WorkContext.TOOL_ID));
  }

  @Test
  void theServerSpanOfARequestThatReadsATaskIsInItsConversation() {
    Span server = tracer.spanBuilder("GET /api/tasks/{task_id}").startSpan();
    try (Scope request = server.makeCurrent()) {
      WorkContext.stampCurrentSpan(TASK, null);
    } finally {
      server.end();
    }

    SpanData span = byName().get("GET /api/tasks/{task_id}");
    assertEquals(TASK.toString(), span.getAttributes().get(WorkContext.CONVERSATION_ID));
    assertNull(span.getAttributes().get(WorkContext.PLAN_ID));
  }

  @Test
  void workWithoutATaskIsInNoConversation() {
    try (Scope work = WorkContext.enter(null, PLAN)) {
      tracer.spanBuilder("SELECT plans").startSpan().end();
    }
    tracer.spanBuilder("GET /api/agents").startSpan().end();

    for (SpanData span : exported.getFinishedSpanItems()) {
      assertNull(span.getAttributes().get(WorkContext.CONVERSATION_ID), span::toString);
      assertNull(span.getAttributes().get(WorkContext.TASK_ID), span::toString);
    }
    assertEquals(
        PLAN.toString(), byName().get("SELECT plans").getAttributes().get(WorkContext.PLAN_ID));
  }

  private Map<String, SpanData> byName() {
    List<SpanData> spans = exported.getFinishedSpanItems();
    return spans.stream().collect(Collectors.toMap(SpanData::getName, Function.identity()));
  }
}
