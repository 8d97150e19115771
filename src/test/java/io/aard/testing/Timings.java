package io.aard.testing;

import java.util.Collection;

/** Percentiles of measured durations, as the tests and benchmarks report them. */
public final class Timings {

  private Timings() {}

  /**
   * The {@code quantile} (0..1) of {@code nanos} in milliseconds, nearest rank; 0 when there are
   * none.
   */
  public static double percentileMillis(Collection<Long> nanos, double quantile) {
    if (nanos.isEmpty()) {
      return 0;
    }
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    int rank = (int) Math.ceil(quantile * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)] / 1e6;
  }
}
