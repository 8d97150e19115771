package io.aard.ingest;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationLibraryInfo;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Deterministic, realistic finished spans for the ingest benchmark, as docs/benchmarks.md describes
 * them: traces of 10–50 spans, ~470-byte attribute objects, 70 % of traces with task and plan ids
 * (and the task id as their session, {@code gen_ai.conversation.id}), 3 % of traces with an ERROR
 * span carrying an exception event, model calls of the built-in planner's model (priced). The same
 * seed gives the same spans in the server (pushed through the exporter) and in the test JVM
 * (written with COPY).
 *
 * <p>{@code io.opentelemetry.sdk.testing} is not in Liberty, so the spans are a small {@link
 * SpanData} of their own.
 */
final class BenchSpans {

  private static final String[] SERVER_ROUTES = {
    "/api/tasks",
    "/api/tasks/{task_id}/plan",
    "/api/plans/{plan_id}/execute",
    "/api/tasks/{task_id}"
  };
  private static final String[] INTERNAL_NAMES = {
    "planning.generate_plan",
    "planning.analyze_task",
    "planning.decompose_task",
    "execution.execute_step",
    "tool.calculator",
    "tool.text",
    "tool.http_request"
  };
  private static final String[] TOOLS = {"calculator", "text", "http_request", "llm"};
  private static final Resource RESOURCE =
      Resource.create(
          Attributes.builder()
              .put("service.name", "aard")
              .put("service.version", "1.0.0-SNAPSHOT")
              .put("telemetry.sdk.name", "opentelemetry")
              .put("telemetry.sdk.language", "java")
              .put("telemetry.sdk.version", "1.48.0")
              .put("host.name", "aard-bench-host")
              .put("process.runtime.name", "OpenJDK Runtime Environment")
              .build());
  private static final InstrumentationScopeInfo SCOPE = InstrumentationScopeInfo.create("aard");

  /** The built-in planner's model: priced (at 0) by the shipped price table, as in production. */
  static final String BUILTIN_MODEL = "builtin-rules-1";

  /**
   * The price table the COPY side converts with: the shipped row of {@link #BUILTIN_MODEL}, so that
   * both sides store the same cost.
   */
  static final io.aard.pricing.PriceTable PRICES =
      io.aard.pricing.PriceTable.of(
          List.of(
              new io.aard.pricing.ModelPrice(
                  BUILTIN_MODEL,
                  java.math.BigDecimal.ZERO,
                  java.math.BigDecimal.ZERO,
                  java.math.BigDecimal.ZERO,
                  "shipped",
                  java.time.Instant.EPOCH)));

  private BenchSpans() {}

  /**
   * Produces {@code count} spans, one trace at a time (a trace's spans are handed over together).
   *
   * @param seed the same seed gives the same spans
   * @param baseEpochMillis the first trace's start; traces follow 50 ms apart
   */
  static void traces(long seed, int count, long baseEpochMillis, Consumer<List<SpanData>> sink) {
    Random random = new Random(seed);
    UUID[] agents = {uuid(random), uuid(random), uuid(random)};
    UUID[] tools = {uuid(random), uuid(random), uuid(random), uuid(random)};
    long traceStart = baseEpochMillis * 1_000_000L;
    int left = count;
    while (left > 0) {
      int size = Math.min(left, 10 + random.nextInt(41));
      sink.accept(trace(random, size, traceStart, agents, tools));
      left -= size;
      traceStart += 50_000_000L;
    }
  }

  /** All {@code count} spans in one list. */
  static List<SpanData> all(long seed, int count, long baseEpochMillis) {
    List<SpanData> spans = new ArrayList<>(count);
    traces(seed, count, baseEpochMillis, spans::addAll);
    return spans;
  }

  private static List<SpanData> trace(
      Random random, int size, long start, UUID[] agents, UUID[] tools) {
    String traceId = hex(random.nextLong()) + hex(random.nextLong());
    boolean withIds = random.nextInt(100) < 70;
    boolean failing = random.nextInt(100) < 3;
    String taskId = withIds ? uuid(random).toString() : null;
    String planId = withIds ? uuid(random).toString() : null;
    String route = SERVER_ROUTES[random.nextInt(SERVER_ROUTES.length)];
    int failingSpan = failing ? 1 + random.nextInt(size - 1) : -1;

    List<SpanData> spans = new ArrayList<>(size);
    String rootId = hex(random.nextLong() | 1L);
    long rootEnd = start + (size * 2L + random.nextInt(50)) * 1_000_000L;
    AttributesBuilder root = common(random, taskId, planId);
    root.put("http.request.method", "POST")
        .put("http.route", route)
        .put("url.path", route.replace("{task_id}", nz(taskId)).replace("{plan_id}", nz(planId)))
        .put("url.scheme", "http")
        .put("server.address", "127.0.0.1")
        .put("server.port", 9080L)
        .put("network.protocol.version", "1.1")
        .put("client.address", "127.0.0.1")
        .put("user_agent.original", "Java-http-client/17.0.13")
        .put("http.response.status_code", failing ? 500L : 200L);
    spans.add(
        new Span(
            traceId,
            rootId,
            null,
            "POST " + route,
            SpanKind.SERVER,
            start,
            rootEnd,
            failing ? StatusData.error() : StatusData.unset(),
            root.build(),
            List.of()));

    String parent = rootId;
    long at = start + 200_000L;
    for (int i = 1; i < size; i++) {
      String spanId = hex(random.nextLong() | 1L);
      long duration = 100_000L + random.nextInt(3_000_000);
      AttributesBuilder attributes = common(random, taskId, planId);
      String name;
      SpanKind kind = SpanKind.INTERNAL;
      if (i % 5 == 4) {
        name = "builtin.generate";
        kind = SpanKind.CLIENT;
        attributes
            .put("gen_ai.operation.name", "chat")
            .put("gen_ai.provider.name", "builtin")
            .put("gen_ai.request.model", BUILTIN_MODEL)
            .put("gen_ai.response.model", BUILTIN_MODEL)
            .put("gen_ai.usage.input_tokens", 100L + random.nextInt(900))
            .put("gen_ai.usage.output_tokens", 20L + random.nextInt(400))
            .put("gen_ai.response.finish_reasons", "stop");
      } else {
        name = INTERNAL_NAMES[random.nextInt(INTERNAL_NAMES.length)];
        int tool = random.nextInt(TOOLS.length);
        attributes
            .put("aard.step_index", (long) random.nextInt(6))
            .put("aard.agent_id", agents[random.nextInt(agents.length)].toString())
            .put("aard.tool_id", tools[tool].toString())
            .put("gen_ai.agent.id", agents[random.nextInt(agents.length)].toString())
            .put("gen_ai.tool.name", TOOLS[tool])
            .put("code.namespace", "io.aard.plan.PlanExecutor")
            .put("code.function", "executeStep");
      }
      StatusData status = StatusData.unset();
      List<EventData> events = List.of();
      if (i == failingSpan) {
        String message = "ArithmeticException: division by zero in step " + i;
        status = StatusData.create(io.opentelemetry.api.trace.StatusCode.ERROR, message);
        events =
            List.of(
                EventData.create(
                    at + duration / 2,
                    "exception",
                    Attributes.builder()
                        .put("exception.type", "java.lang.ArithmeticException")
                        .put("exception.message", "division by zero")
                        .put(
                            "exception.stacktrace",
                            "java.lang.ArithmeticException: division by zero\n"
                                + "\tat io.aard.tool.Arithmetic.divide(Arithmetic.java:88)\n"
                                + "\tat io.aard.plan.PlanExecutor.executeStep(PlanExecutor.java:121)")
                        .build()));
      }
      spans.add(
          new Span(
              traceId,
              spanId,
              parent,
              name,
              kind,
              at,
              at + duration,
              status,
              attributes.build(),
              events));
      // Nest about a third of the spans under the previous one, the rest under the root.
      parent = random.nextInt(3) == 0 ? spanId : rootId;
      at += duration / 2;
    }
    return spans;
  }

  private static AttributesBuilder common(Random random, String taskId, String planId) {
    AttributesBuilder attributes = Attributes.builder();
    if (taskId != null) {
      attributes
          .put("aard.task_id", taskId)
          .put("aard.plan_id", planId)
          .put("gen_ai.conversation.id", taskId);
    }
    return attributes
        .put("thread.name", "Default Executor-thread-" + random.nextInt(64))
        .put("thread.id", 40L + random.nextInt(64))
        .put(
            "aard.request_summary",
            "Calculate "
                + random.nextInt(1000)
                + " * "
                + random.nextInt(1000)
                + ", then write a one-line summary of the result for the weekly report");
  }

  private static UUID uuid(Random random) {
    return new UUID(
        (random.nextLong() & ~0xF000L) | 0x4000L,
        (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L);
  }

  private static String hex(long value) {
    String digits = Long.toHexString(value);
    return "0".repeat(16 - digits.length()) + digits;
  }

  private static String nz(String value) {
    return value == null ? "none" : value;
  }

  /** A finished span, as the SDK would hand it to an exporter. */
  private record Span(
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      SpanKind kind,
      long start,
      long end,
      StatusData status,
      Attributes attributes,
      List<EventData> events)
      implements SpanData {

    @Override
    public String getName() {
      return name;
    }

    @Override
    public SpanKind getKind() {
      return kind;
    }

    @Override
    public SpanContext getSpanContext() {
      return SpanContext.create(traceId, spanId, TraceFlags.getSampled(), TraceState.getDefault());
    }

    @Override
    public SpanContext getParentSpanContext() {
      return parentSpanId == null
          ? SpanContext.getInvalid()
          : SpanContext.create(
              traceId, parentSpanId, TraceFlags.getSampled(), TraceState.getDefault());
    }

    @Override
    public StatusData getStatus() {
      return status;
    }

    @Override
    public long getStartEpochNanos() {
      return start;
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public List<EventData> getEvents() {
      return events;
    }

    @Override
    public List<LinkData> getLinks() {
      return List.of();
    }

    @Override
    public long getEndEpochNanos() {
      return end;
    }

    @Override
    public boolean hasEnded() {
      return true;
    }

    @Override
    public int getTotalRecordedEvents() {
      return events.size();
    }

    @Override
    public int getTotalRecordedLinks() {
      return 0;
    }

    @Override
    public int getTotalAttributeCount() {
      return attributes.size();
    }

    @Override
    @SuppressWarnings("deprecation")
    public InstrumentationLibraryInfo getInstrumentationLibraryInfo() {
      return InstrumentationLibraryInfo.create(SCOPE.getName(), null);
    }

    @Override
    public InstrumentationScopeInfo getInstrumentationScopeInfo() {
      return SCOPE;
    }

    @Override
    public Resource getResource() {
      return RESOURCE;
    }

    @Override
    public String getTraceId() {
      return traceId;
    }

    @Override
    public String getSpanId() {
      return spanId;
    }

    @Override
    public String getParentSpanId() {
      return parentSpanId == null ? "0000000000000000" : parentSpanId;
    }
  }
}
