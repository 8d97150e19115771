package io.aard.llm.ollama;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The clock, the waits and the randomness of retrying: a seam, so that tests neither sleep nor
 * depend on the real clock.
 */
interface Timing {

  /** The real clock and real waits. */
  Timing SYSTEM =
      new Timing() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void sleep(Duration wait) throws InterruptedException {
          TimeUnit.NANOSECONDS.sleep(wait.toNanos());
        }

        @Override
        public double random() {
          return ThreadLocalRandom.current().nextDouble();
        }
      };

  /** A monotonic time in nanoseconds, as {@link System#nanoTime()}. */
  long nanoTime();

  /**
   * Waits, or stops waiting when the thread is interrupted.
   *
   * @throws InterruptedException when the thread is interrupted before or while waiting
   */
  void sleep(Duration wait) throws InterruptedException;

  /** A uniformly distributed number from 0 (inclusive) to 1 (exclusive). */
  double random();
}
