package io.aard.tracequery;

/** The status of a span, as OpenTelemetry defines it and {@code execution_traces} stores it. */
public enum SpanStatus {
  OK,
  ERROR,
  UNSET
}
