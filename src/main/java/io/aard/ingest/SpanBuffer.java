package io.aard.ingest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The spans waiting to be written: a bounded queue that drops its oldest rows when full, so that an
 * unreachable database costs a fixed amount of memory and never slows the producer. Bounded both in
 * rows and in (estimated) bytes, so that fat spans cannot fill the heap before the row bound is
 * reached. Counts what it dropped. Thread-safe.
 */
final class SpanBuffer {

  /** Default byte bound: 64 MiB of row text, a quarter of a modest heap. */
  static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;

  private final int capacity;
  private final long maxBytes;
  private long bytes;
  private final ArrayDeque<SpanRow> rows = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private long dropped;

  SpanBuffer(int capacity) {
    this(capacity, DEFAULT_MAX_BYTES);
  }

  SpanBuffer(int capacity, long maxBytes) {
    if (capacity < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("capacity and byte bound must be positive");
    }
    this.capacity = capacity;
    this.maxBytes = maxBytes;
  }

  /** A row's size in memory, estimated: its text as UTF-16 plus a fixed overhead per column. */
  static long sizeOf(SpanRow row) {
    long size = 64;
    for (String value : row.values()) {
      size += 16 + (value == null ? 0 : 2L * value.length());
    }
    return size;
  }

  /** Drops the oldest rows past either bound; the caller holds the lock. */
  private int trim() {
    int overflow = 0;
    // The newest row stays even if alone it is over the byte bound: the bound is on what waits.
    while (rows.size() > 1 && (rows.size() > capacity || bytes > maxBytes)) {
      bytes -= sizeOf(rows.pollFirst());
      overflow++;
    }
    dropped += overflow;
    return overflow;
  }

  /** The estimated bytes of the waiting rows. */
  long bytes() {
    lock.lock();
    try {
      return bytes;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Adds rows, dropping the oldest past the capacity.
   *
   * @return how many rows this call dropped
   */
  int offer(Collection<SpanRow> batch) {
    lock.lock();
    try {
      for (SpanRow row : batch) {
        rows.addLast(row);
        bytes += sizeOf(row);
      }
      int overflow = trim();
      notEmpty.signalAll();
      return overflow;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes up to {@code max} of the oldest rows, waiting up to {@code wait} for the first one.
   *
   * @return the rows, oldest first; empty when none arrived in time
   */
  List<SpanRow> take(int max, long wait, TimeUnit unit) throws InterruptedException {
    lock.lock();
    try {
      long nanos = unit.toNanos(wait);
      while (rows.isEmpty() && nanos > 0) {
        nanos = notEmpty.awaitNanos(nanos);
      }
      List<SpanRow> batch = new ArrayList<>(Math.min(max, rows.size()));
      while (batch.size() < max && !rows.isEmpty()) {
        SpanRow row = rows.pollFirst();
        bytes -= sizeOf(row);
        batch.add(row);
      }
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns rows a writer took but could not write (it was interrupted) to the front, oldest first,
   * so that the next take or the shutdown flush writes them; past the capacity the oldest are
   * dropped as {@link #offer} does.
   */
  void putBack(List<SpanRow> batch) {
    lock.lock();
    try {
      for (int i = batch.size() - 1; i >= 0; i--) {
        rows.addFirst(batch.get(i));
        bytes += sizeOf(batch.get(i));
      }
      trim();
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Wakes a waiting {@link #take}, for shutdown. */
  void wake() {
    lock.lock();
    try {
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  int size() {
    lock.lock();
    try {
      return rows.size();
    } finally {
      lock.unlock();
    }
  }

  long dropped() {
    lock.lock();
    try {
      return dropped;
    } finally {
      lock.unlock();
    }
  }

  int capacity() {
    return capacity;
  }
}
