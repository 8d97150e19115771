package io.aard.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import java.util.ListResourceBundle;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class TraceIdsInMessagesTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";

  private final TraceIdsInMessages handler = new TraceIdsInMessages();

  private static Scope inSpan() {
    return Span.wrap(
            SpanContext.create(TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()))
        .makeCurrent();
  }

  private LogRecord published(String message) {
    LogRecord record = new LogRecord(Level.INFO, message);
    handler.publish(record);
    return record;
  }

  @Test
  void messageWrittenInASpanStartsWithItsIds() {
    try (Scope span = inSpan()) {
      assertEquals(
          "trace_id=" + TRACE_ID + " span_id=" + SPAN_ID + " Plan 1 created",
          published("Plan 1 created").getMessage());
    }
  }

  @Test
  void parametersStillFillTheMessage() {
    try (Scope span = inSpan()) {
      LogRecord record = new LogRecord(Level.INFO, "Plan {0} created");
      record.setParameters(new Object[] {"p-1"});
      handler.publish(record);
      assertEquals(
          "trace_id=" + TRACE_ID + " span_id=" + SPAN_ID + " Plan p-1 created",
          new java.util.logging.SimpleFormatter().formatMessage(record));
    }
  }

  @Test
  void messageWrittenOutsideASpanIsLeftAlone() {
    assertEquals("Database ready", published("Database ready").getMessage());
  }

  @Test
  void messageIsDecoratedOnce() {
    try (Scope span = inSpan()) {
      LogRecord record = published("Plan 1 created");
      handler.publish(record);
      assertEquals(
          "trace_id=" + TRACE_ID + " span_id=" + SPAN_ID + " Plan 1 created", record.getMessage());
    }
  }

  @Test
  void localisedMessageKeyIsLeftAlone() {
    try (Scope span = inSpan()) {
      LogRecord record = new LogRecord(Level.INFO, "PLAN_CREATED");
      record.setResourceBundle(
          new ListResourceBundle() {
            @Override
            protected Object[][] getContents() {
              return new Object[][] {{"PLAN_CREATED", "Plan created"}};
            }
          });
      handler.publish(record);
      assertEquals("PLAN_CREATED", record.getMessage());
    }
  }
}
