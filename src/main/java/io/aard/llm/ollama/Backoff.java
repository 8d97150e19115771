package io.aard.llm.ollama;

import java.time.Duration;

/**
 * How long to wait before sending a request again after a transient failure: exponential from
 * {@link #FIRST}, capped at {@link #MAX}, less up to a fifth at random so that callers that failed
 * together do not come back together. A server's {@code Retry-After} is waited out in full.
 */
final class Backoff {

  /** The wait before the first retry. */
  static final Duration FIRST = Duration.ofMillis(250);

  /** The longest wait the doubling reaches. */
  static final Duration MAX = Duration.ofSeconds(2);

  private static final double JITTER = 0.2;

  private Backoff() {}

  /**
   * @param retry which retry this wait precedes, from 1
   * @param retryAfter the wait the server asked for, or {@code null}
   * @param random a number from 0 to 1, for the jitter
   */
  static Duration delay(int retry, Duration retryAfter, double random) {
    long millis = FIRST.toMillis() << Math.min(retry - 1, 16);
    millis = Math.min(millis, MAX.toMillis());
    millis -= Math.round(millis * JITTER * random);
    Duration wait = Duration.ofMillis(millis);
    return retryAfter != null && retryAfter.compareTo(wait) > 0 ? retryAfter : wait;
  }
}
