package io.aard.tracequery;

import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The response bodies of the trace API, as records that JSON-B writes in {@code snake_case}. */
public final class TraceViews {

  private TraceViews() {}

  /**
   * One trace in a search result: its root span's name, service, start, end, duration and status
   * (ERROR when any span is ERROR), its span and error counts, its task, plan and session, and the
   * sums of its spans' tokens and costs ({@code costUsd} {@code null} when no span has a cost).
   */
  public record TraceSummary(
      String traceId,
      String rootOperation,
      String serviceName,
      Instant startTime,
      Instant endTime,
      double durationMs,
      long spanCount,
      long errorCount,
      SpanStatus status,
      String taskId,
      String planId,
      String sessionId,
      long inputTokens,
      long outputTokens,
      BigDecimal costUsd) {}

  /** The body of {@code GET /api/traces/}; {@code nextCursor} is {@code null} on the last page. */
  public record TraceList(List<TraceSummary> traces, String nextCursor) {}

  /** One span with every column of {@code execution_traces}. */
  public record Span(
      String traceId,
      String spanId,
      String parentSpanId,
      String operationName,
      String serviceName,
      String spanKind,
      Instant startTime,
      Instant endTime,
      double durationMs,
      SpanStatus status,
      String statusMessage,
      String taskId,
      String planId,
      String agentId,
      String toolId,
      Long inputTokens,
      Long outputTokens,
      String model,
      String sessionId,
      BigDecimal costUsd,
      JsonValue attributes,
      JsonValue events,
      JsonValue resource) {}

  /**
   * The body of {@code GET /api/traces/{trace_id}/spans}: a page of the trace's spans, ordered by
   * start, then span id; {@code nextCursor} continues after its last span and is {@code null} on
   * the last page.
   */
  public record SpanList(List<Span> spans, String nextCursor) {}

  /** A span in the tree of a trace, its children (ordered by start) nested under it. */
  public record SpanNode(
      String traceId,
      String spanId,
      String parentSpanId,
      String operationName,
      String serviceName,
      String spanKind,
      Instant startTime,
      Instant endTime,
      double durationMs,
      SpanStatus status,
      String statusMessage,
      String taskId,
      String planId,
      String agentId,
      String toolId,
      Long inputTokens,
      Long outputTokens,
      String model,
      String sessionId,
      BigDecimal costUsd,
      JsonValue attributes,
      JsonValue events,
      JsonValue resource,
      List<SpanNode> children) {

    static SpanNode of(Span s, List<SpanNode> children) {
      return new SpanNode(
          s.traceId(),
          s.spanId(),
          s.parentSpanId(),
          s.operationName(),
          s.serviceName(),
          s.spanKind(),
          s.startTime(),
          s.endTime(),
          s.durationMs(),
          s.status(),
          s.statusMessage(),
          s.taskId(),
          s.planId(),
          s.agentId(),
          s.toolId(),
          s.inputTokens(),
          s.outputTokens(),
          s.model(),
          s.sessionId(),
          s.costUsd(),
          s.attributes(),
          s.events(),
          s.resource(),
          children);
    }
  }

  /**
   * The body of {@code GET /api/traces/{trace_id}}: the trace's summary fields and its span tree.
   * The roots of {@code spans} are the spans whose parent is not stored (or not among the spans
   * returned): normally the one root.
   *
   * <p>A trace of more spans than {@code TRACE_READ_MAX_SPANS} is cut: {@code spans} holds its
   * first spans in the order of {@code /spans}, {@code truncated} is {@code true}, {@code
   * spanCount} and {@code errorCount} still count the whole trace, and {@code nextCursor} is the
   * {@code cursor} of {@code /spans} that continues after the last span returned ({@code null} when
   * not cut). {@link TraceDetailWriter} writes it.
   */
  public record TraceDetail(
      String traceId,
      String rootOperation,
      String serviceName,
      Instant startTime,
      Instant endTime,
      double durationMs,
      long spanCount,
      long errorCount,
      SpanStatus status,
      String taskId,
      String planId,
      String sessionId,
      long inputTokens,
      long outputTokens,
      BigDecimal costUsd,
      List<SpanNode> spans,
      boolean truncated,
      String nextCursor) {}

  /** Span durations in milliseconds; every field is {@code null} when there are no spans. */
  public record DurationStats(Double avg, Double p50, Double p95, Double p99, Double max) {}

  /** Tokens summed over the spans' {@code input_tokens} and {@code output_tokens}. */
  public record GenAiUsage(long inputTokens, long outputTokens) {}

  /**
   * The statistics of the spans that share one value of the {@code group_by} column; {@code
   * costUsd} is the sum of their costs, {@code null} when none has one.
   */
  public record StatsGroup(
      String key,
      long spanCount,
      long errorCount,
      double errorRate,
      DurationStats durationMs,
      GenAiUsage genAi,
      BigDecimal costUsd) {}

  /** The body of {@code GET /api/traces/stats/summary}. */
  public record StatsSummary(
      Instant from,
      Instant to,
      long spanCount,
      long traceCount,
      long errorCount,
      double errorRate,
      DurationStats durationMs,
      GenAiUsage genAi,
      BigDecimal costUsd,
      List<StatsGroup> groups) {

    /** These statistics with the overall percentiles ({@code p50, p95, p99}) and trace count. */
    StatsSummary withOverall(Double[] percentiles, long traces) {
      DurationStats d = durationMs;
      DurationStats overall =
          new DurationStats(d.avg(), percentiles[0], percentiles[1], percentiles[2], d.max());
      return new StatsSummary(
          from, to, spanCount, traces, errorCount, errorRate, overall, genAi, costUsd, groups);
    }
  }

  /**
   * A session: the traces one of whose spans carries its id ({@code gen_ai.conversation.id} or
   * {@code session.id}), summed over all their spans. {@code firstTime} is the earliest start of
   * those spans, {@code lastTime} the latest end, {@code durationMs} the time between them; {@code
   * costUsd} is {@code null} when no span has a cost.
   */
  public record SessionSummary(
      String sessionId,
      long traceCount,
      long spanCount,
      long errorCount,
      Instant firstTime,
      Instant lastTime,
      double durationMs,
      long inputTokens,
      long outputTokens,
      BigDecimal costUsd) {}

  /** The body of {@code GET /api/sessions}; {@code nextCursor} is {@code null} on the last page. */
  public record SessionList(List<SessionSummary> sessions, String nextCursor) {}

  /**
   * The body of {@code GET /api/sessions/{session_id}}: the session's totals and its traces, oldest
   * first. {@code moreTraces} says that it has more than the {@value SessionSearch#MAX_TRACES}
   * newest shown here; {@code GET /api/traces/?session_id=} pages through all of them.
   */
  public record SessionDetail(
      String sessionId,
      long traceCount,
      long spanCount,
      long errorCount,
      Instant firstTime,
      Instant lastTime,
      double durationMs,
      long inputTokens,
      long outputTokens,
      BigDecimal costUsd,
      List<TraceSummary> traces,
      boolean moreTraces) {

    static SessionDetail of(SessionSummary s, List<TraceSummary> traces, boolean moreTraces) {
      return new SessionDetail(
          s.sessionId(),
          s.traceCount(),
          s.spanCount(),
          s.errorCount(),
          s.firstTime(),
          s.lastTime(),
          s.durationMs(),
          s.inputTokens(),
          s.outputTokens(),
          s.costUsd(),
          traces,
          moreTraces);
    }
  }
}
