package io.aard.ingest;

import io.aard.Settings;
import io.aard.tracing.TracingSettings;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Keeps the monthly partitions of {@code execution_traces}: creates the current month's and the
 * next {@link #MONTHS_AHEAD} month's ahead of time, and drops those older than {@code
 * TRACING_RETENTION_MONTHS}. Runs at start-up and then every {@link #INTERVAL_HOURS} hours; safe to
 * run on several instances at once (the SQL functions take an advisory lock). The functions wait at
 * most {@code lock_timeout} (2 s, V8) for their locks; a run that gives up is retried with backoff.
 */
@ApplicationScoped
public class SpanPartitions {

  private static final Logger LOG = Logger.getLogger(SpanPartitions.class.getName());

  /**
   * One: the job runs every few hours, so next month's partition exists weeks before it is needed,
   * and every partition more (even empty) costs each trace query planning time (at ten million
   * spans, two empty partitions fewer took the agent+ERROR search's planning from 2.9 to 2.2 ms).
   */
  static final int MONTHS_AHEAD = 1;

  static final int INTERVAL_HOURS = 6;

  @Resource(lookup = "jdbc/aard")
  DataSource dataSource;

  @Resource ManagedScheduledExecutorService scheduler;

  private ScheduledFuture<?> schedule;

  void start(@Observes @Priority(3000) @Initialized(ApplicationScoped.class) Object ignored) {
    int retention = TracingSettings.read(Settings.lookup()).retentionMonths();
    schedule =
        scheduler.scheduleAtFixedRate(
            () -> maintainQuietly(retention), 0, INTERVAL_HOURS, TimeUnit.HOURS);
  }

  @PreDestroy
  void stop() {
    if (schedule != null) {
      schedule.cancel(false);
    }
  }

  /**
   * The first instant that retention keeps as of {@code now}: the start (UTC) of the month {@code
   * retentionMonths} before {@code now}'s, the cutoff of {@code aard_drop_trace_partitions}, which
   * drops every partition that ends at or before it. A reader asking for older spans is answered
   * over what is kept.
   */
  public static Instant oldestKept(Instant now, int retentionMonths) {
    return LocalDate.ofInstant(now, ZoneOffset.UTC)
        .withDayOfMonth(1)
        .minusMonths(retentionMonths)
        .atStartOfDay(ZoneOffset.UTC)
        .toInstant();
  }

  /** How often a maintenance run that met a lock timeout is tried again before the next run. */
  static final int LOCK_RETRIES = 5;

  private void maintainQuietly(int retentionMonths) {
    maintainQuietly(retentionMonths, 0);
  }

  private void maintainQuietly(int retentionMonths, int attempt) {
    try {
      maintain(LocalDate.now(ZoneOffset.UTC), retentionMonths);
    } catch (SQLException e) {
      // 55P03: the DDL waited lock_timeout (V8) behind a long query and gave up rather than make
      // every insert queue behind it; try again soon, when that query may have ended.
      if (LOCK_NOT_AVAILABLE.equals(e.getSQLState()) && attempt < LOCK_RETRIES) {
        LOG.info(
            "Partition maintenance of execution_traces met a lock timeout; retry "
                + (attempt + 1)
                + " in "
                + RETRY_SECONDS * (attempt + 1)
                + " s");
        scheduler.schedule(
            () -> maintainQuietly(retentionMonths, attempt + 1),
            RETRY_SECONDS * (attempt + 1L),
            TimeUnit.SECONDS);
        return;
      }
      LOG.log(Level.WARNING, "Partition maintenance of execution_traces failed; retrying later", e);
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again: keep the schedule alive.
      LOG.log(Level.WARNING, "Partition maintenance of execution_traces failed; retrying later", e);
    }
  }

  private static final String LOCK_NOT_AVAILABLE = "55P03";
  private static final int RETRY_SECONDS = 30;

  /**
   * Creates the partitions from {@code today}'s month to {@link #MONTHS_AHEAD} ahead and drops
   * those past retention.
   *
   * @return the names of the partitions dropped
   */
  public List<String> maintain(LocalDate today, int retentionMonths) throws SQLException {
    List<String> dropped = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      try (var create = c.prepareStatement("SELECT aard_create_trace_partition(?)")) {
        for (int month = 0; month <= MONTHS_AHEAD; month++) {
          create.setObject(1, today.withDayOfMonth(1).plusMonths(month));
          create.execute();
        }
      }
      try (var drop = c.prepareStatement("SELECT aard_drop_trace_partitions(?)")) {
        drop.setInt(1, retentionMonths);
        try (var result = drop.executeQuery()) {
          while (result.next()) {
            dropped.add(result.getString(1));
          }
        }
      }
    }
    if (!dropped.isEmpty()) {
      LOG.info("Dropped span partitions past TRACING_RETENTION_MONTHS: " + dropped);
    }
    return dropped;
  }
}
