package io.aard.tracequery;

import io.aard.web.ApiException;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * At most {@value #PERMITS} trace reads (search, one trace, statistics) at once per instance: a
 * heavy read holds pooled connections for up to the statement timeout, and without a bound a few
 * readers would take the pool that task requests, span writers and readiness share. An excess read
 * is answered at once with 429 and {@code Retry-After}, never queued.
 */
final class ReadGate {

  /** Concurrent trace reads; each may hold up to three connections of the pool of 20. */
  static final int PERMITS = 4;

  /** Seconds a refused reader is told to wait. */
  static final int RETRY_AFTER_SECONDS = io.aard.web.ErrorMapper.TOO_MANY_RETRY_AFTER_SECONDS;

  private static final Semaphore PERMITS_LEFT = new Semaphore(PERMITS);

  private ReadGate() {}

  /** {@code read}'s result, or a 429 when {@value #PERMITS} reads already run. */
  static <T> T read(Supplier<T> read) {
    if (!PERMITS_LEFT.tryAcquire()) {
      // ErrorMapper adds Retry-After to every 429.
      throw new ApiException(
          429,
          "too many trace reads at once on this server; retry after " + RETRY_AFTER_SECONDS + " s",
          null);
    }
    try {
      return read.get();
    } finally {
      PERMITS_LEFT.release();
    }
  }
}
