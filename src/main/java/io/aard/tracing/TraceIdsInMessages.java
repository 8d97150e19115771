package io.aard.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

/**
 * Prefixes the message of every log record that passes it with {@code trace_id=<32 hex> span_id=<16
 * hex>} of the span current on the logging thread, as OpenTelemetry's "trace context in non-OTLP
 * log formats" asks of plain text.
 *
 * <p>It is a {@link Handler} rather than a {@link java.util.logging.Filter} because a filter acts
 * only on the logger it is set on, while a handler on the {@code io.aard} logger sees the records
 * of every logger below it, before Liberty's handler on the root logger formats them: one place for
 * all of AARD's loggers, present and future. It changes the record and publishes nothing.
 */
final class TraceIdsInMessages extends Handler {

  /** What a decorated message starts with. */
  static final String PREFIX = "trace_id=";

  @Override
  public void publish(LogRecord record) {
    // A localised record's message is a bundle key; prefixing it would break the lookup.
    if (record == null || record.getResourceBundle() != null) {
      return;
    }
    SpanContext span = Span.current().getSpanContext();
    String message = record.getMessage();
    if (!span.isValid() || (message != null && message.startsWith(PREFIX))) {
      return;
    }
    record.setMessage(prefix(span) + (message == null ? "" : message));
  }

  /** {@code trace_id=... span_id=... } for a span. */
  static String prefix(SpanContext span) {
    return PREFIX + span.getTraceId() + " span_id=" + span.getSpanId() + " ";
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
