package io.aard.tracequery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
  void excessReadsAreRefusedAtOnceWith429AndRetryAfter() throws Exception {
    CountDownLatch holding = new CountDownLatch(ReadGate.PERMITS);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(ReadGate.PERMITS);
    try {
      List<Future<String>> heavy = new ArrayList<>();
      for (int i = 0; i < ReadGate.PERMITS; i++) {
        heavy.add(
            pool.submit(
                () ->
                    ReadGate.read(
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
      holding.await(10, TimeUnit.SECONDS);
      ApiException refused = assertThrows(ApiException.class, () -> ReadGate.read(() -> "excess"));
      assertEquals(429, refused.status());
      release.countDown();
      for (Future<String> read : heavy) {
        assertEquals("done", read.get(10, TimeUnit.SECONDS));
      }
      // The permits came back.
      assertEquals("again", ReadGate.read(() -> "again"));
    } finally {
      pool.shutdownNow();
    }
  }
}
