package io.aard.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.aard.ingest.DatabaseSpanExporter.Admission;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Backpressure of received spans: refused (for a 429 or 503) instead of buffered and dropped, and
 * never crowding AARD's own spans out of the buffer.
 */
class OtlpAdmissionTest {

  private static final int CAPACITY = 100;

  @Test
  void refusesUntilTheWriterIsAttachedThenFillsThreeQuartersOfTheBuffer() {
    DatabaseSpanExporter exporter = new DatabaseSpanExporter(CAPACITY, 10);
    assertEquals(Admission.UNAVAILABLE, exporter.admit(spans(10)), "no writer yet");
    exporter.attach(rows -> {}, rows -> {}, Map.of());
    assertEquals(Admission.TOO_MANY, exporter.admit(spans(76)), "more than ever fits");
    assertEquals(Admission.ACCEPTED, exporter.admit(spans(70)));
    assertEquals(Admission.BUSY, exporter.admit(spans(10)), "70 + 10 past three quarters");
    assertEquals(Admission.ACCEPTED, exporter.admit(spans(5)));
    assertEquals(75, exporter.stats().pending());
    // AARD's own spans still have the last quarter, and nothing was dropped.
    exporter.export(spans(25));
    assertEquals(100, exporter.stats().pending());
    assertEquals(0, exporter.stats().dropped());
  }

  @Test
  void refusesWhileTheDatabaseFails() throws Exception {
    DatabaseSpanExporter exporter = new DatabaseSpanExporter(CAPACITY, 10);
    exporter.attach(
        rows -> {
          throw new IllegalStateException("connection refused");
        },
        rows -> {},
        Map.of());
    exporter.export(spans(1));
    // One attempt, given up at once: the writer now knows the database fails.
    exporter.writeNextBatch(System::nanoTime);
    assertEquals(Admission.UNAVAILABLE, exporter.admit(spans(1)));
  }

  private static List<SpanData> spans(int count) {
    List<SpanData> spans = new ArrayList<>(count);
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < count; i++) {
      spans.add(
          TestSpanData.builder()
              .setSpanContext(
                  SpanContext.create(
                      "0af7651916cd43dd8448eb211c80319c",
                      String.format("%016x", i + 1),
                      TraceFlags.getSampled(),
                      TraceState.getDefault()))
              .setName("received")
              .setKind(SpanKind.INTERNAL)
              .setStartEpochNanos(now)
              .setEndEpochNanos(now + 1)
              .setStatus(StatusData.unset())
              .setHasEnded(true)
              .setTotalRecordedEvents(0)
              .setTotalRecordedLinks(0)
              .build());
    }
    return spans;
  }
}
