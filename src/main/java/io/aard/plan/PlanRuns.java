package io.aard.plan;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The plans this instance is running, each with the signal that cancels it. The instance's id is
 * what a RUNNING plan records as its runner, so that the {@link PlanSupervisor} of any instance can
 * tell a plan that is still being run from one whose runner is gone.
 */
@ApplicationScoped
public class PlanRuns {

  private final UUID instanceId = UUID.randomUUID();
  private final ConcurrentMap<UUID, Run> runs = new ConcurrentHashMap<>();

  /** One plan's run on this instance. */
  public static final class Run {
    private final CompletableFuture<String> cancelled = new CompletableFuture<>();

    /** Completes with the reason when the plan is cancelled; a waiting step stops at once. */
    CompletableFuture<String> cancelled() {
      return cancelled;
    }

    boolean isCancelled() {
      return cancelled.isDone();
    }

    void cancel(String reason) {
      cancelled.complete(reason);
    }
  }

  /** This instance's id, new at every start. */
  public UUID instanceId() {
    return instanceId;
  }

  /**
   * Registers a run before the plan is marked RUNNING, so that the supervisor never sees a plan of
   * this instance that is RUNNING but unknown here.
   *
   * @return the run, or empty when this instance already runs the plan
   */
  Optional<Run> register(UUID planId) {
    Run run = new Run();
    return runs.putIfAbsent(planId, run) == null ? Optional.of(run) : Optional.empty();
  }

  void unregister(UUID planId, Run run) {
    runs.remove(planId, run);
  }

  /** Signals the plan's run to stop, if this instance runs it. */
  void cancel(UUID planId, String reason) {
    Run run = runs.get(planId);
    if (run != null) {
      run.cancel(reason);
    }
  }

  /** The plans running here now. */
  Set<UUID> planIds() {
    return Set.copyOf(runs.keySet());
  }
}
