package io.aard.ingest;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What happens to spans when the application stops while a writer holds a batch. */
class DatabaseSpanExporterShutdownTest {

  private static SpanRow row(int i) {
    String n = String.valueOf(i);
    return new SpanRow(
        "%032d".formatted(i),
        "%016d".formatted(i),
        null,
        "op",
        "aard",
        "INTERNAL",
        n,
        n,
        "0",
        "UNSET",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        "{}",
        "[]",
        "{}",
        null,
        null,
        null);
  }

  @Test
  void putBackReturnsRowsToTheFrontInOrder() throws Exception {
    SpanBuffer buffer = new SpanBuffer(10);
    buffer.offer(List.of(row(1), row(2), row(3)));
    List<SpanRow> taken = buffer.take(2, 0, TimeUnit.MILLISECONDS);
    buffer.putBack(taken);
    assertEquals(List.of(row(1), row(2), row(3)), buffer.take(10, 0, TimeUnit.MILLISECONDS));
  }

  @Test
  void putBackPastTheCapacityDropsTheOldest() throws Exception {
    SpanBuffer buffer = new SpanBuffer(2);
    buffer.offer(List.of(row(1), row(2)));
    List<SpanRow> taken = buffer.take(2, 0, TimeUnit.MILLISECONDS);
    buffer.offer(List.of(row(3)));
    buffer.putBack(taken);
    assertEquals(1, buffer.dropped());
    assertEquals(List.of(row(2), row(3)), buffer.take(10, 0, TimeUnit.MILLISECONDS));
  }

  @Test
  void interruptedWriterLeavesItsBatchForTheShutdownFlush() throws Exception {
    DatabaseSpanExporter exporter = new DatabaseSpanExporter(100, 10);
    List<SpanRow> written = Collections.synchronizedList(new ArrayList<>());
    SpanInserter failing =
        rows -> {
          throw new IllegalStateException("database gone");
        };
    exporter.attach(failing, written::addAll, Map.of());
    exporter.writerStarted();
    // Not closed before the end: closing shuts the exporter down, which flushes.
    SdkTracerProvider tracing =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    for (int i = 0; i < 3; i++) {
      tracing.get("test").spanBuilder("span " + i).startSpan().end();
    }
    assertEquals(3, exporter.pending());

    Thread.currentThread().interrupt();
    try {
      assertThrows(
          InterruptedException.class,
          () -> exporter.writeNextBatch(() -> System.nanoTime() + TimeUnit.SECONDS.toNanos(1)));
    } finally {
      Thread.interrupted();
    }
    assertEquals(3, exporter.pending(), "the interrupted writer's batch is still pending");

    exporter.detach();
    assertTrue(exporter.flush().isSuccess());
    assertEquals(3, written.size());
    assertEquals(0, exporter.stats().dropped());
    tracing.close();
  }

  /** A writer retrying an outage when the application stops gives up at the shutdown deadline. */
  @Test
  void aDeadlineSetWhileAWriterRetriesStopsIt() throws Exception {
    DatabaseSpanExporter exporter = new DatabaseSpanExporter(100, 10);
    SpanInserter failing =
        rows -> {
          throw new IllegalStateException("database gone");
        };
    exporter.attach(failing, rows -> {}, Map.of());
    exporter.writerStarted();
    SdkTracerProvider tracing =
        SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
    for (int i = 0; i < 3; i++) {
      tracing.get("test").spanBuilder("span " + i).startSpan().end();
    }
    AtomicLong giveUpAt = new AtomicLong(Long.MAX_VALUE);
    Thread writer =
        new Thread(
            () -> {
              try {
                exporter.writeNextBatch(giveUpAt::get);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    writer.start();
    await("the writer is retrying")
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(5))
        .until(() -> exporter.stats().retried() > 0);

    giveUpAt.set(System.nanoTime());
    writer.join(TimeUnit.SECONDS.toMillis(10));
    assertFalse(writer.isAlive(), "the writer gave up at the deadline set while it retried");
    assertEquals(3, exporter.stats().dropped(), "its batch counted as dropped");
    assertEquals(0, exporter.pending());
    writer.interrupt();
    tracing.close();
  }
}
