package io.aard.plan;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Sees that no plan stays RUNNING when nothing runs it, with one or many instances on one
 * PostgreSQL. Every {@value #HEARTBEAT_SECONDS} s each instance records its heartbeat in {@code
 * instances}, and then:
 *
 * <ul>
 *   <li>marks FAILED ("interrupted: ...") every RUNNING plan whose instance has sent no heartbeat
 *       for {@value #STALE_SECONDS} s (it crashed, was killed, or lost the database), or that this
 *       instance recorded as its own but no longer runs (its run ended while the database was
 *       unreachable), and their tasks with them;
 *   <li>stops the runs here whose plan was cancelled through another instance.
 * </ul>
 *
 * On a graceful stop the instance marks its own running plans interrupted at once.
 */
@ApplicationScoped
public class PlanSupervisor {

  private static final Logger LOG = Logger.getLogger(PlanSupervisor.class.getName());

  /** How often an instance records that it is alive. */
  static final int HEARTBEAT_SECONDS = 5;

  /**
   * How old a heartbeat must be before the instance counts as gone: six missed beats, so that a
   * long garbage collection or a short database hiccup does not fail plans that still run.
   */
  static final int STALE_SECONDS = 30;

  @Inject PlanRuns runs;
  @Inject PlanRepository plans;

  @Resource(lookup = "jdbc/aard")
  DataSource dataSource;

  @Resource ManagedScheduledExecutorService scheduler;

  private ScheduledFuture<?> schedule;
  private volatile boolean warnedUnreachable;

  void start(@Observes @Priority(3100) @Initialized(ApplicationScoped.class) Object ignored) {
    schedule = scheduler.scheduleWithFixedDelay(this::tick, 0, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
  }

  /** One heartbeat and one sweep; never throws, so that the schedule keeps running. */
  void tick() {
    try {
      beat();
      sweep();
      warnedUnreachable = false;
    } catch (RuntimeException | SQLException e) {
      if (!warnedUnreachable) {
        warnedUnreachable = true;
        LOG.log(
            Level.WARNING,
            "Plan supervision failed; retrying every " + HEARTBEAT_SECONDS + " s",
            e);
      }
    }
  }

  private void beat() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement upsert =
            c.prepareStatement(
                "INSERT INTO instances (id, host) VALUES (?::uuid, ?) ON CONFLICT (id)"
                    + " DO UPDATE SET heartbeat_at = now()");
        PreparedStatement forget =
            c.prepareStatement(
                "DELETE FROM instances WHERE heartbeat_at < now() - interval '1 day'")) {
      upsert.setString(1, runs.instanceId().toString());
      upsert.setString(2, hostName());
      upsert.executeUpdate();
      forget.executeUpdate();
    }
  }

  private void sweep() {
    for (UUID planId : plans.abandoned(runs.instanceId(), STALE_SECONDS)) {
      // Read after the query: a plan started meanwhile was registered here before it was RUNNING.
      if (!runs.planIds().contains(planId)
          && plans.interrupt(
              planId,
              "no server runs it any more (its server stopped, crashed or lost"
                  + " the database)")) {
        LOG.warning("Plan " + planId + " was RUNNING with no server running it; marked FAILED");
      }
    }
    List<UUID> stopped = plans.ended(runs.planIds());
    for (UUID planId : stopped) {
      runs.cancel(planId, "the plan was cancelled");
    }
  }

  /**
   * Marks this instance's running plans interrupted while the persistence unit still works: by
   * {@code @PreDestroy} its EntityManagerFactory is closed.
   */
  void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object ignored) {
    if (schedule != null) {
      schedule.cancel(false);
    }
    for (UUID planId : runs.planIds()) {
      runs.cancel(planId, "the server is stopping");
      try {
        if (plans.interrupt(planId, PlanExecutor.STOPPED)) {
          LOG.warning("Plan " + planId + " was still running at shutdown; marked FAILED");
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Could not mark plan " + planId + " interrupted at shutdown", e);
      }
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement delete = c.prepareStatement("DELETE FROM instances WHERE id = ?::uuid")) {
      delete.setString(1, runs.instanceId().toString());
      delete.executeUpdate();
    } catch (SQLException e) {
      LOG.log(Level.FINE, "Could not remove this instance's heartbeat at shutdown", e);
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown";
    }
  }
}
