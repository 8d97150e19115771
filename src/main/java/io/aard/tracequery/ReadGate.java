package io.aard.tracequery;

import io.aard.web.ApiException;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * How many trace reads run at once per instance, by weight: at most {@value #LIGHT_PERMITS} light
 * ones (a search page, one trace, its spans: one connection each, usually milliseconds) and, apart
 * from them, at most {@value #HEAVY_PERMITS} statistics (three connections and about a core each,
 * up to the statement timeout). Apart, so that statistics cannot starve the viewer's searches; few,
 * so that a reader cannot take the database's cores from the platform. Together they hold at most
 * {@value #CONNECTIONS} connections, within the default size of the trace API's own pool ({@code
 * jdbc/aardRead}, {@code AARD_DB_READ_POOL_SIZE}). An excess read is answered at once with 429 and
 * {@code Retry-After}, never queued.
 */
final class ReadGate {

  /** What a read weighs. */
  enum Weight {
    /** A search page, one trace or its spans. */
    LIGHT,
    /** Statistics over a window. */
    HEAVY
  }

  /** Concurrent light reads; one connection each. */
  static final int LIGHT_PERMITS = 4;

  /** Concurrent statistics; each holds up to three connections, and about a core each. */
  // One, not two: at 10 M spans two concurrent 30-day statistics (six busy backends on 2 cores)
  // raised an operator's POST /api/tasks p99 from 24.6 to 215.7 ms; one keeps it at 58.1 ms
  // (bench/read-pressure.sh, docs/benchmarks.md).
  static final int HEAVY_PERMITS = 1;

  /** The connections the reads let through may hold at once. */
  static final int CONNECTIONS = LIGHT_PERMITS + 3 * HEAVY_PERMITS;

  /** Seconds a refused reader is told to wait. */
  static final int RETRY_AFTER_SECONDS = io.aard.web.ErrorMapper.TOO_MANY_RETRY_AFTER_SECONDS;

  private static final Semaphore LIGHT = new Semaphore(LIGHT_PERMITS);
  private static final Semaphore HEAVY = new Semaphore(HEAVY_PERMITS);

  private ReadGate() {}

  /** {@code read}'s result, or a 429 when as many reads of its weight already run. */
  static <T> T read(Weight weight, Supplier<T> read) {
    Semaphore permits = weight == Weight.HEAVY ? HEAVY : LIGHT;
    if (!permits.tryAcquire()) {
      // ErrorMapper adds Retry-After to every 429.
      throw new ApiException(
          429,
          (weight == Weight.HEAVY
                  ? "too many trace statistics requests at once on this server"
                  : "too many trace reads at once on this server")
              + "; retry after "
              + RETRY_AFTER_SECONDS
              + " s",
          null);
    }
    try {
      return read.get();
    } finally {
      permits.release();
    }
  }
}
