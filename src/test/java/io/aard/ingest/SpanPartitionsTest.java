package io.aard.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SpanPartitionsTest {

  @Test
  void retentionKeepsWholeMonthsBackFromTheCurrentOne() {
    assertEquals(
        Instant.parse("2026-05-01T00:00:00Z"),
        SpanPartitions.oldestKept(Instant.parse("2026-11-24T12:00:00Z"), 6));
    assertEquals(
        Instant.parse("2025-12-01T00:00:00Z"),
        SpanPartitions.oldestKept(Instant.parse("2026-01-01T00:00:00Z"), 1));
    assertEquals(
        Instant.parse("2025-12-01T00:00:00Z"),
        SpanPartitions.oldestKept(Instant.parse("2026-01-31T23:59:59.999999Z"), 1));
  }
}
