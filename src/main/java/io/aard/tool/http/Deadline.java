package io.aard.tool.http;

import io.aard.tool.ToolException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A point in time that the whole fetch must finish by. */
record Deadline(long endNanos) {
  static Deadline in(Duration duration) {
    return new Deadline(System.nanoTime() + duration.toNanos());
  }

  /**
   * The timeout of the next connect or read: what is left, at most {@code capMillis} and at least 1
   * ms, since a timeout of 0 would mean none at all.
   */
  long timeoutMillis(URI uri, long capMillis) throws ToolException {
    check(uri);
    return timeoutMillis(endNanos - System.nanoTime(), capMillis);
  }

  static long timeoutMillis(long leftNanos, long capMillis) {
    return Math.max(1, Math.min(capMillis, TimeUnit.NANOSECONDS.toMillis(leftNanos)));
  }

  void check(URI uri) throws ToolException {
    if (endNanos - System.nanoTime() <= 0) {
      throw new ToolException(
          "GET "
              + uri
              + " did not finish within "
              + HttpGetTool.DEADLINE_SECONDS
              + " s, redirects included");
    }
  }
}
