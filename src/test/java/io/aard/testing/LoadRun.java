package io.aard.testing;

import io.aard.testing.Api.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Several kinds of clients sending requests at once for a bounded time, each answer recorded with
 * its latency: the attacker's requests and the ones that must keep being served. Every loop ends at
 * the deadline; a request in flight then ends by the client's own timeout.
 */
public final class LoadRun {

  /**
   * One request: who sent it, its status (-1 when no answer came) and how long it took.
   *
   * @param retryAfter the {@code Retry-After} header, or {@code null}
   */
  public record Sample(String client, int status, long nanos, String retryAfter, String body) {
    public double millis() {
      return nanos / 1e6;
    }

    @Override
    public String toString() {
      return client + " " + status + " in " + Math.round(millis()) + " ms: " + body;
    }
  }

  private record Client(String name, int threads, Duration pause, Supplier<Reply> request) {}

  private final List<Client> clients = new ArrayList<>();
  private final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();

  /**
   * Adds {@code threads} clients named {@code name}, each sending {@code request} in a loop with
   * {@code pause} after every answer.
   */
  public LoadRun client(String name, int threads, Duration pause, Supplier<Reply> request) {
    clients.add(new Client(name, threads, pause, request));
    return this;
  }

  /** Runs every client for {@code length}; returns when all have stopped. */
  public LoadRun run(Duration length) throws InterruptedException {
    int threads = clients.stream().mapToInt(Client::threads).sum();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long end = System.nanoTime() + length.toNanos();
    for (Client client : clients) {
      for (int i = 0; i < client.threads(); i++) {
        pool.submit(() -> loop(client, end));
      }
    }
    pool.shutdown();
    if (!pool.awaitTermination(length.toSeconds() + 120, TimeUnit.SECONDS)) {
      pool.shutdownNow();
      throw new AssertionError("clients still running two minutes after the load's end");
    }
    return this;
  }

  private void loop(Client client, long end) {
    while (System.nanoTime() < end) {
      long start = System.nanoTime();
      try {
        Reply reply = client.request().get();
        samples.add(
            new Sample(
                client.name(),
                reply.status(),
                System.nanoTime() - start,
                reply.header("Retry-After"),
                reply.body()));
      } catch (RuntimeException e) {
        samples.add(new Sample(client.name(), -1, System.nanoTime() - start, null, e.toString()));
      }
      LockSupport.parkNanos(client.pause().toNanos());
    }
  }

  /** What the clients named {@code name} got. */
  public List<Sample> of(String name) {
    return samples.stream().filter(s -> s.client().equals(name)).toList();
  }

  /** The {@code quantile} latency of the clients named {@code name}, in milliseconds. */
  public double percentileMillis(String name, double quantile) {
    return Timings.percentileMillis(of(name).stream().map(Sample::nanos).toList(), quantile);
  }
}
