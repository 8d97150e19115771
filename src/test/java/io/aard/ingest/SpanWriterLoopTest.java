package io.aard.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SpanWriterLoopTest {

  @Test
  void aWriterThatMeetsAnErrorCarriesOn() throws InterruptedException {
    AtomicInteger passes = new AtomicInteger();
    SpanWriter.loop(
        () -> {
          int n = passes.incrementAndGet();
          if (n == 1) {
            throw new StackOverflowError("a driver bug");
          }
          if (n == 2) {
            throw new IllegalStateException("a bug of ours");
          }
        },
        () -> passes.get() < 4);
    assertEquals(4, passes.get(), "the passes after the errors ran");
  }

  @Test
  void anInterruptStillStopsIt() {
    assertThrows(
        InterruptedException.class,
        () ->
            SpanWriter.loop(
                () -> {
                  throw new InterruptedException();
                },
                () -> true));
  }
}
