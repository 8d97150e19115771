package io.aard.ingest;

/**
 * One row of {@code execution_traces}, as text ready to bind: times are ISO-8601 with offset, JSON
 * columns are JSON text, absent values are {@code null}.
 */
record SpanRow(
    String traceId,
    String spanId,
    String parentSpanId,
    String operationName,
    String serviceName,
    String spanKind,
    String startTime,
    String endTime,
    String durationMs,
    String status,
    String statusMessage,
    String taskId,
    String planId,
    String agentId,
    String toolId,
    String inputTokens,
    String outputTokens,
    String attributes,
    String events,
    String resource,
    String model,
    String sessionId,
    String costUsd) {

  /** How many columns a row has. */
  static final int COLUMNS = 23;

  /** The columns in table order, for building column arrays. */
  String[] values() {
    return new String[] {
      traceId, spanId, parentSpanId, operationName, serviceName, spanKind, startTime, endTime,
      durationMs, status, statusMessage, taskId, planId, agentId, toolId, inputTokens,
      outputTokens, attributes, events, resource, model, sessionId, costUsd
    };
  }
}
