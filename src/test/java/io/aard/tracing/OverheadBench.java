package io.aard.tracing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Overhead benchmark: latency of the plan-and-execute flow (create a task, plan it, execute the
 * plan, builtin provider) under a steady load, on two Liberty servers running the same WAR, one
 * with {@code TRACING_EXPORTER=database} and one with {@code ENABLE_TRACING=false}, measured in the
 * same run in alternating rounds (ABBA), warm-up excluded; plus the database exporter's counters
 * from {@code /health/ready}. A third server, {@code TRACING_DB_STATEMENTS=false}, runs in the same
 * rounds, so that the cost of database spans shows beside that of tracing as a whole.
 *
 * <p>Not a test of behaviour: run by {@code bench/run.sh overhead} ({@code -Pbench}), never by
 * {@code mvn verify}. It starts and stops the two servers the bench profile prepared; it fails only
 * when a request fails or the servers do not come up, not on a slow figure.
 */
class OverheadBench {

  private static final int CLIENTS = Integer.getInteger("aard.bench.clients", 4);
  private static final double RATE = Double.parseDouble(System.getProperty("aard.bench.rate", "6"));
  private static final int FLOWS = Integer.getInteger("aard.bench.flows", 1000);
  private static final int WARMUP = Integer.getInteger("aard.bench.warmup", 200);
  private static final int ROUNDS = 4;
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  /** A flow counts as started late when it began this long after its slot. */
  private static final long LATE_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private static final Server OFF =
      new Server(
          "ENABLE_TRACING=false",
          System.getProperty("aard.bench.server.off", "aardBenchOff"),
          Integer.getInteger("aard.bench.off.http.port", 9592));
  private static final Server NO_DB_SPANS =
      new Server(
          "TRACING_EXPORTER=database, TRACING_DB_STATEMENTS=false",
          System.getProperty("aard.bench.server.nodb", "aardBenchNoDb"),
          Integer.getInteger("aard.bench.nodb.http.port", 9594));
  private static final Server DATABASE =
      new Server(
          "TRACING_EXPORTER=database (database spans on)",
          System.getProperty("aard.bench.server.db", "aardBenchDb"),
          Integer.getInteger("aard.bench.db.http.port", 9591));

  private record Server(String label, String name, int port) {
    Api api() {
      return new Api("http://127.0.0.1:" + port);
    }
  }

  /** Latencies and failures of one server's measured flows. */
  private static final class Samples {
    final List<Long> flowNanos = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger errors = new AtomicInteger();
    final AtomicInteger late = new AtomicInteger();
  }

  @BeforeAll
  static void startServers() throws Exception {
    // One after the other: both migrate the same database at start-up.
    for (Server server : List.of(OFF, NO_DB_SPANS, DATABASE)) {
      serverCommand("start", server.name());
      awaitReady(server);
    }
  }

  @AfterAll
  static void stopServers() throws Exception {
    for (Server server : List.of(OFF, NO_DB_SPANS, DATABASE)) {
      serverCommand("stop", server.name());
    }
  }

  @Test
  void databaseExporterAgainstTracingOff() throws Exception {
    assertEquals("off", spanExporter(OFF).getString("database"), "the baseline has no exporter");
    assertEquals("on", spanExporter(DATABASE).getString("database"), "database exporter on");
    assertEquals("on", spanExporter(NO_DB_SPANS).getString("database"), "database exporter on");

    run(OFF, WARMUP, new Samples());
    run(NO_DB_SPANS, WARMUP, new Samples());
    run(DATABASE, WARMUP, new Samples());
    Samples off = new Samples();
    Samples noDbSpans = new Samples();
    Samples database = new Samples();
    int perRound = FLOWS / ROUNDS;
    List<Server> order = List.of(OFF, NO_DB_SPANS, DATABASE);
    List<Server> reversed = List.of(DATABASE, NO_DB_SPANS, OFF);
    Map<Server, Samples> samples = Map.of(OFF, off, NO_DB_SPANS, noDbSpans, DATABASE, database);
    for (int round = 0; round < ROUNDS; round++) {
      // ABC CBA ...: so that drift over the run falls on every side alike.
      List<Server> servers = round % 2 == 0 ? order : reversed;
      for (Server server : servers) {
        run(server, perRound, samples.get(server));
      }
      System.out.printf("overhead round %d of %d done%n", round + 1, ROUNDS);
    }

    JsonObject spansWithout = awaitDrained(NO_DB_SPANS);
    JsonObject spans = awaitDrained(DATABASE);
    long p50NoDb = percentile(noDbSpans.flowNanos, 50);
    long p99NoDb = percentile(noDbSpans.flowNanos, 99);
    long p50Off = percentile(off.flowNanos, 50);
    long p99Off = percentile(off.flowNanos, 99);
    long p50Db = percentile(database.flowNanos, 50);
    long p99Db = percentile(database.flowNanos, 99);
    double p50Extra = 100.0 * (p50Db - p50Off) / p50Off;
    double p99Extra = 100.0 * (p99Db - p99Off) / p99Off;
    long dropped = spans.getJsonNumber("dropped").longValue();
    boolean met = p50Extra <= 5.0 && p99Extra <= 10.0 && dropped == 0;
    String table =
        String.join(
            "\n",
            String.format(
                "## Overhead: plan-and-execute flow, %d clients at %.1f flows/s, %d flows per"
                    + " server in %d alternating rounds, %d warm-up flows each excluded",
                CLIENTS, RATE, perRound * ROUNDS, ROUNDS, WARMUP),
            "",
            "| server | flows | errors | late starts | mean ms | p50 ms | p99 ms | p50 vs off |"
                + " p99 vs off |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
            row(OFF, off, "—", "—"),
            row(
                NO_DB_SPANS,
                noDbSpans,
                String.format("%+.1f %%", 100.0 * (p50NoDb - p50Off) / p50Off),
                String.format("%+.1f %%", 100.0 * (p99NoDb - p99Off) / p99Off)),
            row(
                DATABASE,
                database,
                String.format("%+.1f %%", p50Extra),
                String.format("%+.1f %%", p99Extra)),
            "",
            String.format(
                "Spans (database spans on, whole run incl. warm-up): exported %d (%.1f per flow),"
                    + " dropped %d, pending %d, retried %d",
                spans.getJsonNumber("exported").longValue(),
                spans.getJsonNumber("exported").longValue() / (double) (perRound * ROUNDS + WARMUP),
                dropped,
                spans.getJsonNumber("pending").longValue(),
                spans.getJsonNumber("retried").longValue()),
            String.format(
                "Spans (database spans off): exported %d (%.1f per flow), dropped %d",
                spansWithout.getJsonNumber("exported").longValue(),
                spansWithout.getJsonNumber("exported").longValue()
                    / (double) (perRound * ROUNDS + WARMUP),
                spansWithout.getJsonNumber("dropped").longValue()),
            "",
            String.format(
                "Target (database spans on): p50 ≤ +5 %%, p99 ≤ +10 %%, no span dropped — %s",
                met ? "MET" : "MISSED"),
            "");
    System.out.println(table);
    Path out = Path.of(System.getProperty("aard.bench.out", "target/bench"));
    Files.createDirectories(out);
    Files.writeString(out.resolve("overhead.md"), table);
    assertEquals(
        0, off.errors.get() + noDbSpans.errors.get() + database.errors.get(), "failed flows");
  }

  private static String row(Server server, Samples samples, String p50, String p99) {
    List<Long> sorted = new ArrayList<>(samples.flowNanos);
    double mean = sorted.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
    return String.format(
        "| %s | %d | %d | %d | %.1f | %.1f | %.1f | %s | %s |",
        server.label(),
        sorted.size(),
        samples.errors.get(),
        samples.late.get(),
        mean,
        percentile(sorted, 50) / 1e6,
        percentile(sorted, 99) / 1e6,
        p50,
        p99);
  }

  /**
   * Runs {@code flows} flows against one server at the fixed rate: flow {@code k} is due at {@code
   * k / RATE} seconds; client {@code c} runs the flows {@code k ≡ c (mod CLIENTS)}, starting each
   * at its slot or, when behind, at once (counted as late).
   */
  private static void run(Server server, int flows, Samples samples) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
    long slot = (long) (1e9 / RATE);
    long deadline = t0 + slot * flows + TimeUnit.MINUTES.toNanos(2);
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        running.add(
            clients.submit(
                () -> {
                  Api api = server.api();
                  for (int k = client; k < flows && System.nanoTime() < deadline; k += CLIENTS) {
                    long due = t0 + k * slot;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                      LockSupport.parkNanos(wait);
                    } else if (-wait > LATE_NANOS) {
                      samples.late.incrementAndGet();
                    }
                    long start = System.nanoTime();
                    if (flow(api, k)) {
                      samples.flowNanos.add(System.nanoTime() - start);
                    } else {
                      samples.errors.incrementAndGet();
                    }
                  }
                }));
      }
      for (Future<?> client : running) {
        client.get(
            Math.max(1, deadline - System.nanoTime()) + 60_000_000_000L, TimeUnit.NANOSECONDS);
      }
    } finally {
      clients.shutdownNow();
    }
  }

  /** Create, plan, execute; false when any step does not answer as it should. */
  private static boolean flow(Api api, int k) {
    try {
      String taskId =
          api.createTask(
              "Calculate "
                  + (k % 97 + 2)
                  + " * "
                  + (k % 13 + 3)
                  + ", then write a one-line summary of the result.");
      Reply planned = api.post("/api/tasks/" + taskId + "/plan");
      if (planned.status() != 201) {
        return false;
      }
      Reply executed = api.post("/api/plans/" + planned.json().getString("id") + "/execute");
      return executed.status() == 200 && "COMPLETED".equals(executed.json().getString("status"));
    } catch (RuntimeException | AssertionError e) {
      return false;
    }
  }

  /**
   * The {@code span-exporter} check's data once nothing is pending, or as it is after a minute: not
   * a failure here, the report shows what was dropped.
   */
  private static JsonObject awaitDrained(Server server) {
    AtomicReference<JsonObject> data = new AtomicReference<>(spanExporter(server));
    try {
      await(server.name() + " drained")
          .atMost(Duration.ofMinutes(1))
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                data.set(spanExporter(server));
                return data.get().getJsonNumber("pending").longValue() <= 0;
              });
    } catch (ConditionTimeoutException stillPending) {
      // Reported with the data below.
    }
    return data.get();
  }

  private static JsonObject spanExporter(Server server) {
    Reply ready = server.api().get("/health/ready");
    for (JsonValue check : ready.array("checks")) {
      JsonObject object = check.asJsonObject();
      if ("span-exporter".equals(object.getString("name"))) {
        return object.getJsonObject("data");
      }
    }
    throw new AssertionError("no span-exporter check in " + ready);
  }

  private static void awaitReady(Server server) {
    await(server.name() + " ready")
        .atMost(START_TIMEOUT)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(500))
        // A refused connection: the server is not listening yet.
        .ignoreExceptionsInstanceOf(RuntimeException.class)
        .until(() -> server.api().get("/health/ready").status() == 200);
  }

  /** Runs {@code server <action> <name>} of the Liberty the pom installed, bounded in time. */
  private static void serverCommand(String action, String name)
      throws IOException, InterruptedException {
    File wlp = new File(System.getProperty("aard.it.wlp.home", "target/liberty/wlp"));
    File log = new File(wlp.getParentFile(), "bench-" + action + "-" + name + ".log");
    Process process =
        new ProcessBuilder(new File(wlp, "bin/server").getPath(), action, name)
            .redirectErrorStream(true)
            .redirectOutput(log)
            .start();
    if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("server " + action + " " + name + " did not return; see " + log);
    }
    assertTrue(
        process.exitValue() == 0 || action.equals("stop"),
        "server " + action + " " + name + " exited " + process.exitValue() + "; see " + log);
  }

  static long percentile(List<Long> values, int p) {
    List<Long> sorted = new ArrayList<>(values);
    if (sorted.isEmpty()) {
      return 0;
    }
    sorted.sort(null);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
