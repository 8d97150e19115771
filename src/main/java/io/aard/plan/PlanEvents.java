package io.aard.plan;

import io.aard.registry.AgentDirectory;
import io.aard.web.JsonbContext;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A plan's progress as Server-Sent Events: {@code step_started} and {@code step_finished} for each
 * step (data: the step as {@code GET /api/plans/{id}} shows it), then {@code plan_finished} (data:
 * the plan) when it ends, and the stream closes.
 *
 * <p>The stream follows the plan as stored, reading it every {@value #POLL_MILLIS} ms, so that it
 * works whichever instance runs the plan, and a client that connects late first gets the events of
 * what has already happened. No request thread waits meanwhile: each read is a short task on the
 * scheduler. At most {@value #MAX_STREAMS} streams are open at once.
 */
@ApplicationScoped
public class PlanEvents {

  private static final Logger LOG = Logger.getLogger(PlanEvents.class.getName());

  static final int POLL_MILLIS = 250;
  static final int MAX_STREAMS = 64;

  /** A comment line this often tells a stream whose client has gone. */
  private static final long KEEPALIVE_MILLIS = 15_000;

  @Inject PlanRepository plans;
  @Inject AgentDirectory directory;

  @Resource ManagedScheduledExecutorService scheduler;

  private final AtomicInteger open = new AtomicInteger();

  /**
   * Streams the plan's events into {@code sink} until it ends or the client goes.
   *
   * @return {@code false}, touching nothing, when {@value #MAX_STREAMS} streams are open already
   */
  boolean stream(UUID planId, SseEventSink sink, Sse sse) {
    if (open.incrementAndGet() > MAX_STREAMS) {
      open.decrementAndGet();
      return false;
    }
    Follower follower = new Follower(planId, sink, sse);
    try {
      follower.schedule.set(
          scheduler.scheduleWithFixedDelay(follower::tick, 0, POLL_MILLIS, TimeUnit.MILLISECONDS));
      follower.cancelIfClosed();
    } catch (RuntimeException e) {
      follower.close();
      throw e;
    }
    return true;
  }

  private final class Follower {
    private final UUID planId;
    private final SseEventSink sink;
    private final Sse sse;
    private final AtomicReference<ScheduledFuture<?>> schedule = new AtomicReference<>();
    private final Map<Integer, StepStatus> sent = new HashMap<>();
    private long lastWrite = System.nanoTime();
    private boolean closed;

    Follower(UUID planId, SseEventSink sink, Sse sse) {
      this.planId = planId;
      this.sink = sink;
      this.sse = sse;
    }

    synchronized void tick() {
      if (closed) {
        return;
      }
      try {
        if (sink.isClosed()) {
          close();
          return;
        }
        Plan plan = plans.find(planId).orElse(null);
        if (plan == null) {
          close();
          return;
        }
        PlanView view = PlanView.of(plan, directory);
        for (PlanView.StepView step : view.steps()) {
          StepStatus before = sent.getOrDefault(step.index(), StepStatus.PENDING);
          if (step.status() == before) {
            continue;
          }
          if (before == StepStatus.PENDING && step.status() != StepStatus.PENDING) {
            send("step_started", "step-" + step.index() + "-started", step);
          }
          if (step.status() != StepStatus.RUNNING) {
            send("step_finished", "step-" + step.index() + "-finished", step);
          }
          sent.put(step.index(), step.status());
        }
        if (view.status().ended()) {
          send("plan_finished", "plan-finished", view);
          close();
        } else if (System.nanoTime() - lastWrite
            > TimeUnit.MILLISECONDS.toNanos(KEEPALIVE_MILLIS)) {
          write(sse.newEventBuilder().comment("waiting for plan " + planId).build());
        }
      } catch (RuntimeException e) {
        // The database is unreachable for a moment, or the client has gone: the next tick retries
        // or finds the sink closed.
        LOG.log(Level.FINE, "Event stream of plan " + planId + " could not be updated", e);
      }
    }

    private void send(String name, String id, Object data) {
      write(
          sse.newEventBuilder()
              .name(name)
              .id(id)
              .mediaType(MediaType.APPLICATION_JSON_TYPE)
              .data(String.class, JsonbContext.jsonb().toJson(data))
              .build());
    }

    private void write(OutboundSseEvent event) {
      lastWrite = System.nanoTime();
      sink.send(event)
          .exceptionally(
              e -> {
                close();
                return null;
              });
    }

    /** A first tick may have closed the stream before its schedule was known. */
    synchronized void cancelIfClosed() {
      if (closed) {
        schedule.get().cancel(false);
      }
    }

    synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      open.decrementAndGet();
      ScheduledFuture<?> running = schedule.get();
      if (running != null) {
        running.cancel(false);
      }
      try {
        sink.close();
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "Closing the event stream of plan " + planId + " failed", e);
      }
    }
  }
}
