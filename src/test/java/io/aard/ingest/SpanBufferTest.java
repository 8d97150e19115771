package io.aard.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SpanBufferTest {

  private static SpanRow row(String id, int attributeChars) {
    return new SpanRow(
        "0".repeat(32),
        id,
        null,
        "op",
        "aard",
        "INTERNAL",
        "t0",
        "t1",
        "1.0",
        "OK",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        "x".repeat(attributeChars),
        "[]",
        "{}",
        null,
        null,
        null);
  }

  @Test
  void fatSpansAreBoundedInBytesBeforeTheRowBoundIsReached() throws InterruptedException {
    long maxBytes = 1024 * 1024;
    SpanBuffer buffer = new SpanBuffer(20_000, maxBytes);
    List<SpanRow> batch = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      batch.add(row(String.format("%016x", i), 64 * 1024)); // about 128 KiB each in memory
    }
    int dropped = buffer.offer(batch);
    assertTrue(buffer.bytes() <= maxBytes, "bytes " + buffer.bytes());
    assertTrue(buffer.size() >= 7 && buffer.size() <= 8, "rows " + buffer.size());
    assertEquals(100 - buffer.size(), dropped);
    assertEquals(dropped, buffer.dropped());
    // The oldest went; the newest stay, in order.
    List<SpanRow> left = buffer.take(1000, 0, TimeUnit.MILLISECONDS);
    assertEquals(String.format("%016x", 99), left.get(left.size() - 1).spanId());
    assertEquals(0, buffer.bytes());
  }

  @Test
  void thinSpansAreStillBoundedByCount() {
    SpanBuffer buffer = new SpanBuffer(10, SpanBuffer.DEFAULT_MAX_BYTES);
    List<SpanRow> batch = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      batch.add(row(String.format("%016x", i), 10));
    }
    assertEquals(15, buffer.offer(batch));
    assertEquals(10, buffer.size());
  }
}
