package io.aard.tracequery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.tracequery.ReadGate.Weight;
import io.aard.web.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReadGateTest {

  @Test
  void excessStatisticsAreRefusedAtOnceWith429WhileLightReadsStillRun() throws Exception {
    try (Held heavy = hold(Weight.HEAVY, ReadGate.HEAVY_PERMITS)) {
      ApiException refused =
          assertThrows(ApiException.class, () -> ReadGate.read(Weight.HEAVY, () -> "excess"));
      assertEquals(429, refused.status());
      assertTrue(refused.getMessage().contains("statistics"), refused.getMessage());
      assertEquals("light", ReadGate.read(Weight.LIGHT, () -> "light"));
    }
    assertEquals("again", ReadGate.read(Weight.HEAVY, () -> "again"), "the permits came back");
  }

  @Test
  void excessLightReadsAreRefusedAtOnceWith429WhileStatisticsStillRun() throws Exception {
    try (Held light = hold(Weight.LIGHT, ReadGate.LIGHT_PERMITS)) {
      ApiException refused =
          assertThrows(ApiException.class, () -> ReadGate.read(Weight.LIGHT, () -> "excess"));
      assertEquals(429, refused.status());
      assertEquals("heavy", ReadGate.read(Weight.HEAVY, () -> "heavy"));
    }
    assertEquals("again", ReadGate.read(Weight.LIGHT, () -> "again"), "the permits came back");
  }

  @Test
  void thePermitsFitTheReadPoolsDefaultSize() {
    // server-config/server.xml: AARD_DB_READ_POOL_SIZE defaults to 10.
    assertTrue(ReadGate.CONNECTIONS <= 10, "permits need " + ReadGate.CONNECTIONS + " connections");
  }

  /** {@code permits} reads of {@code weight} that run until closed. */
  private static Held hold(Weight weight, int permits) throws InterruptedException {
    CountDownLatch holding = new CountDownLatch(permits);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(permits);
    List<Future<String>> reads = new ArrayList<>();
    for (int i = 0; i < permits; i++) {
      reads.add(
          pool.submit(
              () ->
                  ReadGate.read(
                      weight,
                      () -> {
                        holding.countDown();
                        try {
                          release.await();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                        return "done";
                      })));
    }
    assertTrue(holding.await(10, TimeUnit.SECONDS), "the reads did not start");
    return new Held(pool, release, reads);
  }

  private record Held(ExecutorService pool, CountDownLatch release, List<Future<String>> reads)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      release.countDown();
      try {
        for (Future<String> read : reads) {
          assertEquals("done", read.get(10, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
