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
 * unreachable database costs a fixed amount of memory and never slows the producer. Counts what it
 * dropped. Thread-safe.
 */
final class SpanBuffer {

  private final int capacity;
  private final ArrayDeque<SpanRow> rows = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private long dropped;

  SpanBuffer(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
  }

  /**
   * Adds rows, dropping the oldest past the capacity.
   *
   * @return how many rows this call dropped
   */
  int offer(Collection<SpanRow> batch) {
    lock.lock();
    try {
      rows.addAll(batch);
      int overflow = Math.max(0, rows.size() - capacity);
      for (int i = 0; i < overflow; i++) {
        rows.pollFirst();
      }
      dropped += overflow;
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
        batch.add(rows.pollFirst());
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
      }
      int overflow = Math.max(0, rows.size() - capacity);
      for (int i = 0; i < overflow; i++) {
        rows.pollFirst();
      }
      dropped += overflow;
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
