package io.aard.platform;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.BulkSpans;
import io.aard.testing.Timings;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Soak test: concurrent clients run the task → plan → execute flow (builtin provider, {@code
 * TRACING_EXPORTER=database}) against a Liberty server of its own for a bounded time while
 * PostgreSQL is cut away in the middle and restored; then the server is stopped gracefully while
 * the clients still run. From the middle of the time before the cut to the end of the load, {@link
 * #READERS} heavy readers ask for statistics over the last 30 days (of {@link #SEED_SPANS} seeded
 * spans and the run's own) as fast as they are answered, so that the table shows the platform's
 * latency without and with them side by side. It asserts that
 *
 * <ul>
 *   <li>every failure falls inside the outage (from the cut until readiness is UP again) and is a
 *       503 with the API's JSON error {@code "the database is unavailable; retry later"}, answered
 *       within {@link #SLOWEST_ANSWER};
 *   <li>no span is lost: every trace id a client got in a {@code traceparent} is in {@code
 *       execution_traces} once the exporter has nothing pending, and it dropped none;
 *   <li>the used heap after a full GC at the end is at most {@link #HEAP_TOLERANCE} above the one
 *       after warm-up (read with {@code jcmd} and {@code jstat} from the server's JVM; nothing is
 *       exposed by the product for it);
 *   <li>a graceful {@code server stop} under load loses no span of a request that was answered;
 *   <li>every statistics request is answered 200, or 429 or 503 with {@code Retry-After}, and none
 *       takes longer than {@link #SLOWEST_ANSWER} plus five seconds.
 * </ul>
 *
 * <p>Run by {@code bench/run.sh soak} ({@code -Pbench}), never by {@code mvn verify}. Traffic goes
 * to 127.0.0.1 only; every loop is bounded in count and time.
 */
class SoakBench {

  private static final String SERVER = System.getProperty("aard.bench.soak.server", "aardSoak");
  private static final int PORT = Integer.getInteger("aard.bench.soak.http.port", 9593);
  private static final String DB = System.getProperty("aard.bench.soak.db.name", "aard_soak");
  private static final Duration RUN =
      Duration.ofSeconds(
          Math.round(60 * Double.parseDouble(System.getProperty("aard.bench.soak.minutes", "10"))));
  private static final Duration OUTAGE =
      Duration.ofSeconds(Integer.getInteger("aard.bench.soak.outage.seconds", 60));
  private static final int CLIENTS = Integer.getInteger("aard.bench.soak.clients", 4);
  private static final double RATE =
      Double.parseDouble(System.getProperty("aard.bench.soak.rate", "4"));
  private static final Duration STOP_LOAD = Duration.ofSeconds(20);

  /** Clients asking for 30-day statistics at once, from the middle of the time before the cut. */
  static final int READERS = Integer.getInteger("aard.bench.soak.readers", 8);

  /** Spans over the last 30 days that the readers' statistics read besides the run's own. */
  static final int SEED_SPANS = Integer.getInteger("aard.bench.soak.seed.spans", 1_000_000);

  private static final Duration READ_WINDOW = Duration.ofDays(30);
  private static final String SEED_SERVICE = "soak-seed";
  private static final String[] GROUP_BYS = {
    "operation_name", "agent_id", "tool_id", "status", "service_name"
  };

  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

  /** No request may take longer, even one that starts while the database is down. */
  static final Duration SLOWEST_ANSWER = Duration.ofSeconds(30);

  /** End-of-run heap may exceed the warm-up heap by this fraction. */
  static final double HEAP_TOLERANCE = 0.10;

  static final String UNAVAILABLE = "the database is unavailable; retry later";
  private static final Pattern TRACEPARENT =
      Pattern.compile("00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

  /**
   * One request: status -1 when it got no answer; {@code ok} when it answered as the flow needs
   * (201 for create and plan, 200 with a COMPLETED plan for execute).
   */
  record Request(String step, long startNanos, long endNanos, int status, boolean ok, String body) {
    boolean clearUnavailable() {
      if (status != 503 || body == null) {
        return false;
      }
      try (var reader = Json.createReader(new StringReader(body))) {
        JsonObject error = reader.readObject();
        return UNAVAILABLE.equals(error.getString("error", null)) && error.containsKey("parameter");
      } catch (RuntimeException e) {
        return false;
      }
    }

    long nanos() {
      return endNanos - startNanos;
    }

    boolean overlaps(long from, long to) {
      return startNanos <= to && endNanos >= from;
    }
  }

  /** What the clients of one load phase saw. */
  static final class Load {
    final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    final Set<String> traceIds = ConcurrentHashMap.newKeySet();
  }

  /** One statistics request of a heavy reader; status -1 when it got no answer. */
  record Read(long startNanos, long endNanos, int status, String retryAfter, String body) {
    long nanos() {
      return endNanos - startNanos;
    }

    /** 200, or a refusal (429, 503) that says when to retry. */
    boolean expected() {
      return status == 200 || ((status == 429 || status == 503) && retryAfter != null);
    }
  }

  private static final Api API = new Api("http://127.0.0.1:" + PORT);

  @BeforeAll
  static void startServer() throws Exception {
    allowConnections(true);
    serverCommand("start");
    awaitReady(true, START_TIMEOUT);
    seedSpans();
  }

  /**
   * Tops the seeded spans of the last 30 days up to {@link #SEED_SPANS} (once the server has
   * created and migrated the database), so that the readers' statistics take a while.
   */
  private static void seedSpans() throws SQLException {
    if (SEED_SPANS <= 0) {
      return;
    }
    Instant now = Instant.now();
    try (Connection c = connect(DB)) {
      long present = BulkSpans.count(c, SEED_SERVICE, now.minus(READ_WINDOW), now);
      if (present >= SEED_SPANS * 0.9) {
        progress("%,d seeded spans in the last 30 days already", present);
        return;
      }
      long started = System.nanoTime();
      BulkSpans.delete(c, SEED_SERVICE);
      BulkSpans.insert(
          c, SEED_SERVICE, "soak-" + now.toEpochMilli(), now.minus(READ_WINDOW), now, SEED_SPANS);
      progress(
          "seeded %,d spans over the last 30 days in %d s",
          SEED_SPANS, (System.nanoTime() - started) / 1_000_000_000);
    }
  }

  @AfterAll
  static void restoreAndStop() throws Exception {
    allowConnections(true);
    serverCommand("stop");
  }

  @Test
  void survivesAnOutageAndAGracefulStopWithoutLosingSpans() throws Exception {
    Duration warmUp =
        RUN.dividedBy(4).compareTo(Duration.ofMinutes(1)) < 0
            ? RUN.dividedBy(4)
            : Duration.ofMinutes(1);
    Duration cutAfter = RUN.minus(OUTAGE).dividedBy(2);
    assertTrue(
        cutAfter.compareTo(warmUp) >= 0,
        "the run (" + RUN + ") is too short for a warm-up and a " + OUTAGE + " outage");
    long t0 = System.nanoTime();
    long end = t0 + RUN.toNanos();
    Load load = new Load();
    ConcurrentLinkedQueue<Read> reads = new ConcurrentLinkedQueue<>();
    AtomicBoolean stopClients = new AtomicBoolean();
    ExecutorService clients = startClients(load, end, stopClients);
    ExecutorService readers = null;
    long[] window = new long[2];
    long[] readersWindow = new long[2];
    long heapAfterWarmUp;
    try {
      parkUntil(t0 + warmUp.toNanos());
      heapAfterWarmUp = usedHeapAfterGc();
      readersWindow[0] = t0 + warmUp.toNanos() + cutAfter.minus(warmUp).toNanos() / 2;
      progress("warm-up done, heap after GC %d KiB", heapAfterWarmUp);

      parkUntil(readersWindow[0]);
      readers = startReaders(reads, end, stopClients);
      progress("%d heavy readers started", READERS);

      parkUntil(t0 + cutAfter.toNanos());
      window[0] = System.nanoTime();
      cutDatabase();
      progress("database cut");
      awaitReady(false, Duration.ofSeconds(30));
      parkUntil(window[0] + OUTAGE.toNanos());
      allowConnections(true);
      progress("database restored");
      awaitReady(true, Duration.ofSeconds(60));
      window[1] = System.nanoTime();
      progress("ready again after %d ms", (window[1] - window[0]) / 1_000_000 - OUTAGE.toMillis());
    } finally {
      allowConnections(true);
      awaitClients(clients, end, stopClients);
      if (readers != null) {
        awaitClients(readers, end, stopClients);
      }
      readersWindow[1] = System.nanoTime();
    }
    progress("load done");

    JsonObject exporter = awaitDrained(Duration.ofMinutes(2));
    long heapAtEnd = usedHeapAfterGc();
    List<String> missing = awaitMissing(load.traceIds, Duration.ofSeconds(30));
    exporter = spanExporter();

    // Graceful stop under load.
    Load stopLoad = new Load();
    AtomicBoolean stopStopClients = new AtomicBoolean();
    long stopEnd = System.nanoTime() + STOP_LOAD.toNanos() + START_TIMEOUT.toNanos();
    ExecutorService stopping = startClients(stopLoad, stopEnd, stopStopClients);
    long stopAt;
    try {
      parkUntil(System.nanoTime() + STOP_LOAD.toNanos());
      stopAt = System.nanoTime();
      progress("server stop under load");
      serverCommand("stop");
    } finally {
      stopStopClients.set(true);
      awaitClients(stopping, stopEnd, stopStopClients);
    }
    List<String> missingAfterStop = missingTraces(stopLoad.traceIds);
    List<Request> failuresBeforeStop =
        stopLoad.requests.stream().filter(r -> r.startNanos < stopAt && !ok(r)).toList();
    long slowestInOutage =
        load.requests.stream()
            .filter(r -> r.overlaps(window[0], window[1]))
            .mapToLong(Request::nanos)
            .max()
            .orElse(0);
    long slowest = load.requests.stream().mapToLong(Request::nanos).max().orElse(0);

    List<Request> unexpected =
        load.requests.stream()
            .filter(r -> !ok(r))
            .filter(r -> !(r.overlaps(window[0], window[1]) && r.clearUnavailable()))
            .toList();
    long heapLimit = Math.round(heapAfterWarmUp * (1 + HEAP_TOLERANCE));
    List<Read> unexpectedReads = reads.stream().filter(r -> !r.expected()).toList();
    long slowestRead = reads.stream().mapToLong(Read::nanos).max().orElse(0);
    String table =
        table(
            load,
            stopLoad,
            window,
            readersWindow,
            List.copyOf(reads),
            stopAt,
            exporter,
            heapAfterWarmUp,
            heapAtEnd,
            slowestInOutage,
            missing,
            missingAfterStop);
    System.out.println(table);
    Path out = Path.of(System.getProperty("aard.bench.out", "target/bench"));
    Files.createDirectories(out);
    Files.writeString(out.resolve("soak.md"), table);

    assertTrue(unexpected.isEmpty(), "unexpected failures: " + sample(unexpected));
    assertTrue(
        slowest <= SLOWEST_ANSWER.toNanos(), "a request took " + slowest / 1_000_000 + " ms");
    assertTrue(missing.isEmpty(), missing.size() + " traces lost, e.g. " + sample(missing));
    assertEquals(0, exporter.getJsonNumber("dropped").longValue(), "spans dropped: " + exporter);
    assertEquals(0, exporter.getJsonNumber("pending").longValue(), "spans pending: " + exporter);
    assertTrue(
        heapAtEnd <= heapLimit, "heap grew: " + heapAfterWarmUp + " → " + heapAtEnd + " KiB");
    assertTrue(
        failuresBeforeStop.isEmpty(), "failures before the stop: " + sample(failuresBeforeStop));
    assertTrue(
        missingAfterStop.isEmpty(),
        missingAfterStop.size() + " traces lost in the stop, e.g. " + sample(missingAfterStop));
    assertTrue(
        unexpectedReads.isEmpty(), "unexpected statistics answers: " + sample(unexpectedReads));
    assertTrue(
        slowestRead <= SLOWEST_ANSWER.plusSeconds(5).toNanos(),
        "a statistics request took " + slowestRead / 1_000_000 + " ms");
  }

  private static boolean ok(Request r) {
    return r.ok;
  }

  private static <T> List<T> sample(List<T> values) {
    return values.subList(0, Math.min(5, values.size()));
  }

  private static String table(
      Load load,
      Load stopLoad,
      long[] window,
      long[] readersWindow,
      List<Read> reads,
      long stopAt,
      JsonObject exporter,
      long heapAfterWarmUp,
      long heapAtEnd,
      long slowestInOutage,
      List<String> missing,
      List<String> missingAfterStop) {
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "## Soak: %d clients, task → plan → execute at %.1f flows/s for %s, PostgreSQL cut for"
                + " %d s in the middle, %d heavy readers (30-day statistics) from the middle of"
                + " the time before the cut; then `server stop` under load",
            CLIENTS, RATE, minutes(RUN), OUTAGE.toSeconds(), READERS));
    lines.add("");
    lines.add(
        "| phase | requests | flows completed | flows failed | failures by status | clear 503s"
            + " | p50 ms | p99 ms |");
    lines.add("|---|---:|---:|---:|---|---:|---:|---:|");
    List<Request> all = List.copyOf(load.requests);
    lines.add(phaseRow("before the cut", all, r -> r.endNanos < window[0]));
    // As long before the readers started as they ran before the cut: from the warm-up's end.
    lines.add(
        phaseRow(
            "… without readers",
            all,
            r ->
                r.startNanos >= readersWindow[0] - (window[0] - readersWindow[0])
                    && r.endNanos < readersWindow[0]));
    lines.add(
        phaseRow(
            "… with " + READERS + " heavy readers",
            all,
            r -> r.startNanos >= readersWindow[0] && r.endNanos < window[0]));
    lines.add(phaseRow("outage (cut → ready again)", all, r -> r.overlaps(window[0], window[1])));
    lines.add(phaseRow("after recovery", all, r -> r.startNanos > window[1]));
    lines.add(phaseRow("whole run", all, r -> true));
    List<Request> stopAll = List.copyOf(stopLoad.requests);
    lines.add(phaseRow("stop: before `server stop`", stopAll, r -> r.startNanos < stopAt));
    lines.add(phaseRow("stop: after `server stop`", stopAll, r -> r.startNanos >= stopAt));
    lines.add("");
    lines.add(
        String.format(
            "Outage window %.1f s (cut for %d s, ready again %.1f s after the restore); slowest"
                + " answer in it %d ms, in the whole run %d ms.",
            (window[1] - window[0]) / 1e9,
            OUTAGE.toSeconds(),
            (window[1] - window[0] - OUTAGE.toNanos()) / 1e9,
            slowestInOutage / 1_000_000,
            all.stream().mapToLong(Request::nanos).max().orElse(0) / 1_000_000));
    lines.add(
        String.format(
            "Spans: %d trace ids collected by the clients, %d missing from execution_traces;"
                + " exporter exported %d, retried %d, dropped %d, pending %d.",
            load.traceIds.size(),
            missing.size(),
            exporter.getJsonNumber("exported").longValue(),
            exporter.getJsonNumber("retried").longValue(),
            exporter.getJsonNumber("dropped").longValue(),
            exporter.getJsonNumber("pending").longValue()));
    lines.add(
        String.format(
            "Heap used after a full GC: %,d KiB after warm-up, %,d KiB at the end (%+.1f %%;"
                + " limit +%.0f %%).",
            heapAfterWarmUp,
            heapAtEnd,
            100.0 * (heapAtEnd - heapAfterWarmUp) / heapAfterWarmUp,
            100 * HEAP_TOLERANCE));
    lines.add(
        String.format(
            "Graceful stop: %d trace ids answered under load, %d missing after `server stop`.",
            stopLoad.traceIds.size(), missingAfterStop.size()));
    lines.add(readsLine(reads, readersWindow));
    lines.add("");
    return String.join("\n", lines);
  }

  private static String minutes(Duration d) {
    return d.toSeconds() % 60 == 0 ? d.toMinutes() + " min" : d.toSeconds() + " s";
  }

  private static String phaseRow(String phase, List<Request> all, Predicate<Request> in) {
    List<Request> rows = all.stream().filter(in).toList();
    Map<String, Integer> failures = new TreeMap<>();
    long clear = 0;
    for (Request r : rows) {
      if (!ok(r)) {
        failures.merge(r.status < 0 ? "no answer" : String.valueOf(r.status), 1, Integer::sum);
        if (r.clearUnavailable()) {
          clear++;
        }
      }
    }
    // A flow is counted in the phase of its last request ("execute" answered or the failing one).
    long completed = rows.stream().filter(r -> r.step.equals("execute") && ok(r)).count();
    long failed = rows.stream().filter(r -> !ok(r)).count();
    List<Long> nanos = rows.stream().map(Request::nanos).toList();
    return String.format(
        "| %s | %d | %d | %d | %s | %d | %.0f | %.0f |",
        phase,
        rows.size(),
        completed,
        failed,
        failures.isEmpty() ? "none" : failures.toString().replaceAll("[{}]", ""),
        clear,
        Timings.percentileMillis(nanos, 0.5),
        Timings.percentileMillis(nanos, 0.99));
  }

  /** What the heavy readers got: answers by status, their latencies, the slowest refusal. */
  private static String readsLine(List<Read> reads, long[] readersWindow) {
    Map<String, Integer> byStatus = new TreeMap<>();
    for (Read r : reads) {
      byStatus.merge(r.status < 0 ? "no answer" : String.valueOf(r.status), 1, Integer::sum);
    }
    List<Long> answered = reads.stream().filter(r -> r.status == 200).map(Read::nanos).toList();
    long slowestRefusal =
        reads.stream().filter(r -> r.status == 429).mapToLong(Read::nanos).max().orElse(0);
    return String.format(
        "Heavy readers: %d statistics requests in %.0f s, %s; answered ones p50 %.0f ms, p99 %.0f"
            + " ms; slowest 429 %d ms; %d answers without the expected status or Retry-After.",
        reads.size(),
        (readersWindow[1] - readersWindow[0]) / 1e9,
        byStatus.isEmpty() ? "none" : byStatus.toString().replaceAll("[{}]", ""),
        Timings.percentileMillis(answered, 0.5),
        Timings.percentileMillis(answered, 0.99),
        slowestRefusal / 1_000_000,
        reads.stream().filter(r -> !r.expected()).count());
  }

  /**
   * Starts {@link #READERS} clients that ask for statistics over the last 30 days until {@code
   * end}, each as soon as the previous answer came (a tenth of a second later after a refusal).
   */
  private static ExecutorService startReaders(
      ConcurrentLinkedQueue<Read> reads, long end, AtomicBoolean stop) {
    ExecutorService readers = Executors.newFixedThreadPool(Math.max(1, READERS));
    for (int c = 0; c < READERS; c++) {
      int first = c;
      readers.submit(
          () -> {
            Api api = new Api("http://127.0.0.1:" + PORT);
            for (int k = first; System.nanoTime() < end && !stop.get(); k++) {
              Instant now = Instant.now();
              String path =
                  "/api/traces/stats/summary?start_time_from="
                      + now.minus(READ_WINDOW)
                      + "&start_time_to="
                      + now
                      + "&group_by="
                      + GROUP_BYS[k % GROUP_BYS.length];
              long start = System.nanoTime();
              Read read;
              try {
                Reply reply = api.get(path);
                read =
                    new Read(
                        start,
                        System.nanoTime(),
                        reply.status(),
                        reply.header("Retry-After"),
                        reply.status() == 200 ? null : reply.body());
              } catch (RuntimeException e) {
                read = new Read(start, System.nanoTime(), -1, null, e.toString());
              }
              reads.add(read);
              if (read.status != 200) {
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
              }
            }
          });
    }
    readers.shutdown();
    return readers;
  }

  private static ExecutorService startClients(Load load, long end, AtomicBoolean stop) {
    ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
    long slot = (long) (1e9 * CLIENTS / RATE);
    long maxFlows = (long) Math.ceil((end - System.nanoTime()) / (double) slot) + 1;
    for (int c = 0; c < CLIENTS; c++) {
      long first = System.nanoTime() + c * slot / CLIENTS;
      clients.submit(
          () -> {
            Api api = new Api("http://127.0.0.1:" + PORT);
            for (long k = 0; k < maxFlows && !stop.get(); k++) {
              long due = first + k * slot;
              if (due >= end) {
                break;
              }
              long wait = due - System.nanoTime();
              if (wait > 0) {
                LockSupport.parkNanos(wait);
              }
              flow(api, k, load);
            }
          });
    }
    clients.shutdown();
    return clients;
  }

  private static void awaitClients(ExecutorService clients, long end, AtomicBoolean stop)
      throws InterruptedException {
    long grace = SLOWEST_ANSWER.toNanos() * 2;
    long wait = Math.max(0, end - System.nanoTime()) + grace;
    if (!clients.awaitTermination(wait, TimeUnit.NANOSECONDS)) {
      stop.set(true);
      clients.shutdownNow();
      throw new AssertionError("clients did not finish in time");
    }
  }

  /** Create, plan, execute; stops at the first request that fails. */
  private static void flow(Api api, long k, Load load) {
    Reply created =
        call(
            api,
            "create",
            "/api/tasks",
            Json.createObjectBuilder()
                .add(
                    "description",
                    "Calculate "
                        + (k % 97 + 2)
                        + " * "
                        + (k % 13 + 3)
                        + ", then write a one-line summary of the result.")
                .build(),
            load);
    if (created == null || created.status() != 201) {
      return;
    }
    Reply planned =
        call(api, "plan", "/api/tasks/" + created.json().getString("id") + "/plan", null, load);
    if (planned == null || planned.status() != 201) {
      return;
    }
    call(api, "execute", "/api/plans/" + planned.json().getString("id") + "/execute", null, load);
  }

  private static Reply call(Api api, String step, String path, JsonObject body, Load load) {
    long start = System.nanoTime();
    try {
      Reply reply = body == null ? api.post(path) : api.post(path, body);
      boolean ok =
          reply.status() == (step.equals("execute") ? 200 : 201)
              && (!step.equals("execute") || "COMPLETED".equals(reply.json().getString("status")));
      load.requests.add(
          new Request(step, start, System.nanoTime(), reply.status(), ok, reply.body()));
      String traceparent = reply.header("traceparent");
      if (traceparent != null) {
        Matcher m = TRACEPARENT.matcher(traceparent);
        if (m.matches()) {
          load.traceIds.add(m.group(1));
        }
      }
      return reply;
    } catch (RuntimeException e) {
      load.requests.add(new Request(step, start, System.nanoTime(), -1, false, e.toString()));
      return null;
    }
  }

  /**
   * The trace ids still not in {@code execution_traces} when the deadline passes. The exporter's
   * {@code pending} says nothing of the spans the SDK's batch processor has not handed it yet (up
   * to a second's worth), so a single look right after the load would count those as lost.
   */
  private static List<String> awaitMissing(Set<String> traceIds, Duration limit)
      throws SQLException {
    // Each look asks only for the traces the previous one missed.
    AtomicReference<List<String>> missing = new AtomicReference<>(List.copyOf(traceIds));
    try {
      await("every trace in execution_traces")
          .atMost(limit)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                missing.set(missingTraces(Set.copyOf(missing.get())));
                return missing.get().isEmpty();
              });
    } catch (ConditionTimeoutException someMissing) {
      // Not a failure here: the caller reports the traces still missing.
    }
    return missing.get();
  }

  /** The trace ids not (yet) in {@code execution_traces}. */
  private static List<String> missingTraces(Set<String> traceIds) throws SQLException {
    Set<String> found = new HashSet<>();
    List<String> ids = List.copyOf(traceIds);
    try (Connection c = connect(DB);
        var query =
            c.prepareStatement(
                "SELECT DISTINCT trace_id FROM execution_traces WHERE trace_id = ANY (?)")) {
      for (int from = 0; from < ids.size(); from += 5000) {
        var chunk = ids.subList(from, Math.min(ids.size(), from + 5000));
        query.setArray(1, c.createArrayOf("text", chunk.toArray()));
        try (ResultSet rs = query.executeQuery()) {
          while (rs.next()) {
            found.add(rs.getString(1));
          }
        }
      }
    }
    return ids.stream().filter(id -> !found.contains(id)).sorted().toList();
  }

  /** The {@code span-exporter} data once nothing is pending (or the deadline passed). */
  private static JsonObject awaitDrained(Duration limit) {
    AtomicReference<JsonObject> data = new AtomicReference<>(spanExporter());
    try {
      await("span exporter drained")
          .atMost(limit)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                data.set(spanExporter());
                return data.get().getJsonNumber("pending").longValue() <= 0;
              });
    } catch (ConditionTimeoutException stillPending) {
      // Not a failure here: the caller reports what is still pending.
    }
    return data.get();
  }

  private static JsonObject spanExporter() {
    Reply ready = API.get("/health/ready");
    for (JsonValue check : ready.array("checks")) {
      JsonObject object = check.asJsonObject();
      if ("span-exporter".equals(object.getString("name"))) {
        return object.getJsonObject("data");
      }
    }
    throw new AssertionError("no span-exporter check in " + ready);
  }

  private static void awaitReady(boolean up, Duration limit) {
    int expected = up ? 200 : 503;
    await(SERVER + " readiness " + (up ? "UP" : "DOWN"))
        .atMost(limit)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(200))
        // A refused connection: the server is not listening yet.
        .ignoreExceptionsInstanceOf(RuntimeException.class)
        .until(() -> API.get("/health/ready").status() == expected);
  }

  /**
   * Used heap in KiB of the server's JVM right after a full GC: {@code jcmd <pid> GC.run}, then the
   * used columns of {@code jstat -gc} (survivors, eden, old), whichever collector runs.
   */
  private static long usedHeapAfterGc() throws IOException, InterruptedException {
    String pid = serverPid();
    run(List.of("jcmd", pid, "GC.run"));
    String[] lines = run(List.of("jstat", "-gc", pid)).strip().split("\n");
    String[] names = lines[0].trim().split("\\s+");
    String[] values = lines[lines.length - 1].trim().split("\\s+");
    double used = 0;
    for (int i = 0; i < names.length; i++) {
      if (Set.of("S0U", "S1U", "EU", "OU").contains(names[i])) {
        used += Double.parseDouble(values[i]);
      }
    }
    return Math.round(used);
  }

  private static String serverPid() throws IOException {
    Path pidFile = wlp().toPath().resolve("usr/servers/.pid/" + SERVER + ".pid");
    return Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(command + " did not return");
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), command + ": " + output);
    return output;
  }

  /** Refuses new connections to the soak database and kills the open ones. */
  private static void cutDatabase() throws SQLException {
    allowConnections(false);
    try (Connection admin = connect("postgres");
        var kill =
            admin.prepareStatement(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
      kill.setString(1, DB);
      kill.executeQuery().close();
    }
  }

  private static void allowConnections(boolean allow) throws SQLException {
    try (Connection admin = connect("postgres");
        var exists = admin.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, DB);
      try (ResultSet rs = exists.executeQuery()) {
        if (!rs.next()) {
          return; // the server creates it at its first start
        }
      }
      try (var statement = admin.createStatement()) {
        statement.execute(
            "ALTER DATABASE \"" + DB + "\" WITH ALLOW_CONNECTIONS " + (allow ? "true" : "false"));
      }
    }
  }

  private static Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(
        io.aard.testing.BuildDatabase.jdbcUrl(database), "postgres", "");
  }

  private static File wlp() {
    return new File(System.getProperty("aard.it.wlp.home", "target/liberty/wlp"));
  }

  /** Runs {@code server <action>} for the soak server, bounded in time. */
  private static void serverCommand(String action) throws IOException, InterruptedException {
    File log = new File(wlp().getParentFile(), "bench-" + action + "-" + SERVER + ".log");
    Process process =
        new ProcessBuilder(new File(wlp(), "bin/server").getPath(), action, SERVER)
            .redirectErrorStream(true)
            .redirectOutput(log)
            .start();
    if (!process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("server " + action + " " + SERVER + " did not return; see " + log);
    }
    assertTrue(
        process.exitValue() == 0 || action.equals("stop"),
        "server " + action + " " + SERVER + " exited " + process.exitValue() + "; see " + log);
  }

  private static void parkUntil(long nanoTime) {
    for (long wait = nanoTime - System.nanoTime(); wait > 0; wait = nanoTime - System.nanoTime()) {
      LockSupport.parkNanos(wait);
    }
  }

  private static void progress(String format, Object... args) {
    System.out.printf("soak: " + format + "%n", args);
  }
}
