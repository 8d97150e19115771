package io.aard.security;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.DatabaseOutage;
import io.aard.testing.Deployments;
import io.aard.testing.SpanTable;
import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The attacks on the span store that need no key to mount (docs/security.md, "Attacks and
 * defences"), on the open builtin server, each named in its test: a flood of fat spans while
 * PostgreSQL is down, and the monthly partition drop while a long query runs and spans are being
 * written. The key-related attacks are {@link AbuseWithOllamaIT}'s.
 */
@ExtendWith(ArquillianExtension.class)
class AbuseIT {

  private static final String DB = DatabaseOutage.itDatabase();

  /** The span buffer's byte bound (ingest/SpanBuffer). */
  private static final long BUFFER_BYTES = 64L * 1024 * 1024;

  /**
   * Requests in the fat-span flood: about twice what the byte bound holds of them (some 4,400), far
   * fewer than its rows.
   */
  private static final int FAT_REQUESTS = 8_000;

  /** The partition functions' lock_timeout (V8). */
  private static final Duration LOCK_TIMEOUT = Duration.ofSeconds(2);

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final Api api = new Api();

  @AfterEach
  void restoreDatabase() throws SQLException {
    DatabaseOutage.restore(DB);
  }

  /**
   * Attack: while PostgreSQL is down, a client sends thousands of requests each made to record a
   * fat server span (a 4 KB query string and a 4 KB User-Agent: some 16 KB a span in memory), to
   * fill the server's heap with spans waiting for the database. The span buffer holds at most its
   * byte bound of them, far below its row bound, drops the oldest and counts them; every request is
   * answered meanwhile, and once PostgreSQL is back the newest spans are written.
   */
  @Test
  void fatSpanFloodDuringADatabaseOutageStaysWithinTheBufferBytesAndCountsItsDrops()
      throws Exception {
    assertEquals(200, api.get("/api/agents").status(), "registry cached before the outage");
    awaitReady(true);
    JsonObject before = exporterHealth();
    long capacity = before.getJsonNumber("capacity").longValue();
    assertTrue(capacity > FAT_REQUESTS, "the row bound alone would hold the flood: " + capacity);

    String marker = "fat-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    StringBuilder query = new StringBuilder("?");
    for (char c = 'a'; c < 'e'; c++) {
      query.append(c).append('=').append(String.valueOf(c).repeat(1000)).append('&');
    }
    query.append("m=").append(marker);
    String userAgent = marker + "/" + "u".repeat(4000);
    List<String> traces = new ArrayList<>();
    String newest;
    DatabaseOutage.cut(DB);
    try {
      awaitReady(false);
      ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
      ExecutorService clients = Executors.newFixedThreadPool(4);
      for (int i = 0; i < FAT_REQUESTS; i++) {
        clients.submit(() -> replies.add(sendFat(query, userAgent)));
      }
      clients.shutdown();
      assertTrue(clients.awaitTermination(5, TimeUnit.MINUTES), "the flood did not end");
      for (Reply reply : replies) {
        assertTrue(reply.status() < 500, "a request failed during the flood: " + reply);
        String traceparent = reply.header("traceparent");
        if (traceparent != null) {
          traces.add(traceparent.substring(3, 35));
        }
      }
      assertEquals(FAT_REQUESTS, replies.size(), "requests that got no answer");
      newest = traceId(sendFat(query, userAgent));

      // Every span of the flood has reached the exporter: waiting, or dropped.
      long droppedBefore = before.getJsonNumber("dropped").longValue();
      JsonObject during =
          await("the flood's spans handed to the exporter")
              .atMost(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(200))
              .until(
                  this::exporterHealth,
                  h ->
                      h.getJsonNumber("pending").longValue()
                              + h.getJsonNumber("dropped").longValue()
                              - droppedBefore
                          >= FAT_REQUESTS);
      long pending = during.getJsonNumber("pending").longValue();
      long dropped = during.getJsonNumber("dropped").longValue() - droppedBefore;
      System.out.println(
          "attack: fat-span flood of "
              + replies.size()
              + " during an outage: pending "
              + pending
              + ", dropped "
              + dropped
              + ", capacity "
              + capacity);
      // Each of these spans weighs some 15 KB in the buffer, so the byte bound holds about 4,400
      // of them: far fewer than the flood, and than the row bound, which alone would keep them all.
      assertTrue(
          pending <= BUFFER_BYTES / 12_000, "the buffer holds " + pending + " of these spans");
      assertTrue(dropped > 0, "nothing dropped: " + during);
    } finally {
      DatabaseOutage.restore(DB);
    }
    try {
      awaitReady(true);
      await("the kept spans written")
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> exporterHealth().getJsonNumber("pending").longValue(), n -> n == 0);
      SpanTable.await(
          "SELECT span_id FROM execution_traces WHERE trace_id = ?",
          newest,
          rows -> !rows.isEmpty(),
          Duration.ofSeconds(30));
    } finally {
      try (Connection c = SpanTable.connect();
          PreparedStatement delete =
              c.prepareStatement(
                  "DELETE FROM execution_traces WHERE trace_id = ANY (string_to_array(?, ','))")) {
        traces.add(newest);
        delete.setString(1, String.join(",", traces));
        delete.executeUpdate();
      }
    }
  }

  /**
   * Attack: a long query holds the span table (a reader's, or anyone's) just as the monthly
   * maintenance drops a partition past retention. The drop waits at most its {@code lock_timeout}
   * and gives up (SQLSTATE 55P03, retried later by SpanPartitions) instead of queueing every insert
   * behind it for as long as the query runs: inserts, the server's span writer's included, go on
   * while the query still holds its lock; once it has ended the drop succeeds.
   */
  @Test
  void partitionDropBehindALongQueryGivesUpAndLetsInsertsThrough() throws Exception {
    String service =
        "it-partition-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    String partition = "execution_traces_y2001m01";
    // Only partitions that ended before 2006 are past this retention: the one made below.
    int keepMonths = (OffsetDateTime.now(ZoneOffset.UTC).getYear() - 2005) * 12;
    AtomicBoolean inserting = new AtomicBoolean(true);
    ConcurrentLinkedQueue<Long> insertNanos = new ConcurrentLinkedQueue<>();
    try (Connection longQuery = SpanTable.connect();
        Connection maintenance = SpanTable.connect()) {
      // The partition functions' own lock, held for the whole test: the server's maintenance
      // (at start-up, and its retries) would otherwise drop the partition below on its own.
      try (Statement s = maintenance.createStatement()) {
        s.execute("SELECT pg_advisory_lock(hashtext('aard_trace_partitions'))");
        s.execute("SELECT aard_create_trace_partition('2001-01-01')");
      }
      insertSpan(maintenance, service, OffsetDateTime.of(2001, 1, 15, 0, 0, 0, 0, ZoneOffset.UTC));
      longQuery.setAutoCommit(false);
      try (Statement s = longQuery.createStatement()) {
        // The lock every query on the table holds until its transaction ends.
        s.execute("LOCK TABLE execution_traces IN ACCESS SHARE MODE");
      }
      assertTrue(exists(longQuery, partition), "the partition past retention is there");
      CompletableFuture<Void> inserts =
          CompletableFuture.runAsync(() -> insertLoop(service, inserting, insertNanos));

      long started = System.nanoTime();
      SQLException gaveUp =
          assertThrows(SQLException.class, () -> dropPartitions(maintenance, keepMonths));
      Duration waited = Duration.ofNanos(System.nanoTime() - started);
      assertEquals("55P03", gaveUp.getSQLState(), gaveUp.toString());
      assertTrue(waited.compareTo(LOCK_TIMEOUT.plusSeconds(3)) < 0, "the drop waited " + waited);

      // The long query still holds its lock: a request's spans, written by the server, land.
      Reply request = api.get("/api/agents");
      SpanTable.await(
          "SELECT span_id FROM execution_traces WHERE trace_id = ?",
          traceId(request),
          rows -> !rows.isEmpty(),
          Duration.ofSeconds(30));
      int insertsBefore = insertNanos.size();
      await("inserts go on while the long query runs")
          .atMost(Duration.ofSeconds(10))
          .until(insertNanos::size, n -> n > insertsBefore + 5);
      inserting.set(false);
      inserts.get(30, TimeUnit.SECONDS);
      long slowest = insertNanos.stream().mapToLong(Long::longValue).max().orElse(0);
      System.out.println(
          "attack: partition drop behind a long query: gave up after "
              + waited.toMillis()
              + " ms; "
              + insertNanos.size()
              + " inserts meanwhile, slowest "
              + slowest / 1_000_000
              + " ms");
      // An insert waits at most as long as the drop did, never as long as the long query runs.
      assertTrue(
          Duration.ofNanos(slowest).compareTo(LOCK_TIMEOUT.plusSeconds(3)) < 0,
          "an insert waited " + slowest / 1_000_000 + " ms");
      longQuery.rollback();

      List<String> dropped = dropPartitions(maintenance, keepMonths);
      assertTrue(dropped.contains(partition), "dropped " + dropped);
    } finally {
      inserting.set(false);
      try (Connection c = SpanTable.connect();
          PreparedStatement delete =
              c.prepareStatement("DELETE FROM execution_traces WHERE service_name = ?")) {
        delete.setString(1, service);
        delete.executeUpdate();
      }
    }
  }

  private Reply sendFat(CharSequence query, String userAgent) {
    return api.send(
        HttpRequest.newBuilder(api.uri("/api/agents" + query))
            .header("User-Agent", userAgent)
            .GET());
  }

  private static boolean exists(Connection c, String table) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  /** What SpanPartitions runs: the partitions dropped. */
  private static List<String> dropPartitions(Connection c, int keepMonths) throws SQLException {
    try (PreparedStatement drop = c.prepareStatement("SELECT aard_drop_trace_partitions(?)")) {
      drop.setInt(1, keepMonths);
      List<String> dropped = new ArrayList<>();
      try (ResultSet rs = drop.executeQuery()) {
        while (rs.next()) {
          dropped.add(rs.getString(1));
        }
      }
      return dropped;
    }
  }

  /** Inserts a span of now, as the exporter does, every 50 ms, timing each. */
  private static void insertLoop(
      String service, AtomicBoolean inserting, ConcurrentLinkedQueue<Long> nanos) {
    try (Connection c = SpanTable.connect()) {
      while (inserting.get()) {
        long start = System.nanoTime();
        insertSpan(c, service, OffsetDateTime.now(ZoneOffset.UTC));
        nanos.add(System.nanoTime() - start);
        LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void insertSpan(Connection c, String service, OffsetDateTime start)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO execution_traces (trace_id, span_id, operation_name, service_name,"
                + " span_kind, start_time, end_time, duration_ms, status, attributes, events,"
                + " resource) VALUES (md5(random()::text), substr(md5(random()::text), 1, 16),"
                + " 'insert.during.drop', ?, 'INTERNAL', ?, ?, 1, 'OK', '{}', '[]', '{}')")) {
      insert.setString(1, service);
      insert.setObject(2, start);
      insert.setObject(3, start.plusNanos(1_000_000));
      insert.executeUpdate();
    }
  }

  private static String traceId(Reply reply) {
    return reply.header("traceparent").substring(3, 35);
  }

  private void awaitReady(boolean up) {
    int expected = up ? 200 : 503;
    await("readiness " + (up ? "UP" : "DOWN"))
        .atMost(Duration.ofSeconds(60))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> api.get("/health/ready"), reply -> reply.status() == expected);
  }

  private JsonObject exporterHealth() {
    return api.get("/health/ready").json().getJsonArray("checks").stream()
        .map(c -> c.asJsonObject())
        .filter(c -> c.getString("name").equals("span-exporter"))
        .findFirst()
        .orElseThrow()
        .getJsonObject("data");
  }
}
