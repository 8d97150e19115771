package io.aard.tracequery;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What a search or a statistics request asks for, validated. Every field is optional ({@code null},
 * or an empty list of attributes).
 *
 * <p>The span-level filters ({@code taskId} to {@code attributes}) must all hold for one and the
 * same span. In a trace search, {@code from}/{@code to} bound the trace's start (its root span's
 * start, {@code from} inclusive, {@code to} exclusive) and the durations bound the trace's duration
 * (its root span's); in statistics they bound each span's start and duration.
 *
 * @param taskId spans of this task
 * @param planId spans of this plan
 * @param agentId spans of this agent
 * @param toolId spans of this tool
 * @param sessionId spans of this session ({@code session_id})
 * @param status spans with this status
 * @param operationName spans with this name
 * @param serviceName spans of this service
 * @param attributes spans whose attributes match every one of these
 * @param from the earliest start, inclusive
 * @param to the latest start, exclusive
 * @param minDurationMs the least duration, inclusive
 * @param maxDurationMs the greatest duration, inclusive
 */
record TraceFilter(
    String taskId,
    String planId,
    String agentId,
    String toolId,
    String sessionId,
    SpanStatus status,
    String operationName,
    String serviceName,
    List<AttributeFilter> attributes,
    Instant from,
    Instant to,
    Double minDurationMs,
    Double maxDurationMs) {

  TraceFilter {
    attributes = List.copyOf(attributes);
  }

  /** Whether any filter applies to spans (rather than to the trace as a whole). */
  boolean hasSpanFilter() {
    return taskId != null
        || planId != null
        || agentId != null
        || toolId != null
        || sessionId != null
        || status != null
        || operationName != null
        || serviceName != null
        || !attributes.isEmpty();
  }

  /**
   * A canonical text of the filter, the same for every spelling of the same search; a cursor is
   * bound to it so that it cannot be replayed against a different search. A session filter is
   * appended only when present, so that the cursors of searches without one stay as they were.
   */
  String fingerprint() {
    String fingerprint =
        String.join(
            "\n",
            Objects.toString(taskId, ""),
            Objects.toString(planId, ""),
            Objects.toString(agentId, ""),
            Objects.toString(toolId, ""),
            Objects.toString(status, ""),
            Objects.toString(operationName, ""),
            Objects.toString(serviceName, ""),
            attributes.stream()
                .map(a -> String.join("|", a.candidates()))
                .sorted()
                .collect(Collectors.joining(",")),
            Objects.toString(from, ""),
            Objects.toString(to, ""),
            Objects.toString(minDurationMs, ""),
            Objects.toString(maxDurationMs, ""));
    return sessionId == null ? fingerprint : fingerprint + "\nsession_id=" + sessionId;
  }
}
