package io.aard.plan;

import io.aard.Conflict;
import io.aard.NotFound;
import io.aard.task.Task;
import io.aard.task.TaskPlans;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Plans in PostgreSQL. Each state change is its own short transaction, so that no connection is
 * held while a model or a tool works, and every step's outcome is stored as soon as it is known.
 *
 * <p>A running plan's changes take the plan's row lock and happen only while the plan is still
 * RUNNING: a cancel, or the supervisor marking it interrupted, wins over whatever the runner does
 * afterwards, and the runner learns of it from the {@code false} these methods answer.
 *
 * <p>It also answers {@link TaskPlans}: which plans a task has is a question about plans.
 */
@ApplicationScoped
public class PlanRepository implements TaskPlans {

  @PersistenceContext(unitName = "aard")
  EntityManager em;

  /** A plan that was just marked RUNNING, with its steps and what its task asks. */
  record Started(Plan plan, String taskDescription) {}

  /**
   * The plan with its steps, as stored now. It reads in a transaction of its own: outside one,
   * Liberty keeps a single persistence context for the whole request, and a plan read earlier in
   * the request would come back as it was then.
   */
  @Transactional
  public Optional<Plan> find(UUID id) {
    return em.createQuery(
            "SELECT p FROM Plan p LEFT JOIN FETCH p.steps WHERE p.id = :id", Plan.class)
        .setParameter("id", id)
        .getResultStream()
        .findFirst();
  }

  /**
   * Stores a new plan and marks its task planned, in one transaction.
   *
   * @throws Conflict when one of the task's plans is running
   */
  @Transactional
  public void create(Plan plan) {
    Task task = em.find(Task.class, plan.taskId(), LockModeType.PESSIMISTIC_WRITE);
    try {
      task.planned();
    } catch (IllegalStateException e) {
      throw new Conflict(e.getMessage());
    }
    em.persist(plan);
  }

  /**
   * Moves a DRAFT plan to RUNNING on {@code instance}, and its task with it. Concurrent requests to
   * run the same plan, or two plans of one task, are serialised by row locks (plan, then task): one
   * wins, the others get a {@link Conflict} that says why.
   */
  @Transactional
  public Started start(UUID id, UUID instance) {
    Plan plan = em.find(Plan.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (plan == null) {
      throw new NotFound("no plan " + id);
    }
    if (plan.status() != PlanStatus.DRAFT) {
      throw new Conflict(
          "plan " + id + " is " + plan.status() + "; only a DRAFT plan can be executed");
    }
    Task task = em.find(Task.class, plan.taskId(), LockModeType.PESSIMISTIC_WRITE);
    try {
      task.started();
    } catch (IllegalStateException e) {
      throw new Conflict(e.getMessage());
    }
    plan.start(instance);
    plan.steps().size();
    return new Started(plan, task.description());
  }

  /** The task of a stored plan, without reading its steps. */
  @Transactional
  public Optional<UUID> taskIdOf(UUID planId) {
    return em.createQuery("SELECT p.taskId FROM Plan p WHERE p.id = :id", UUID.class)
        .setParameter("id", planId)
        .getResultStream()
        .findFirst();
  }

  /**
   * Applies a change to one step of a RUNNING plan, in one statement: the step and its plan's row,
   * both locked ({@code FOR UPDATE} on the join), so that a cancel still wins or waits as with
   * {@link #lockRunning}. A run calls this twice per step: it used to lock the plan with {@code
   * em.find}, then read the step: two statements, and a third while the steps' mapping cascaded the
   * locking read's refresh to all of them (see {@link Plan}).
   *
   * @return {@code false}, changing nothing, when the plan is no longer RUNNING
   */
  @Transactional
  public boolean updateStep(UUID planId, int index, Consumer<Step> change) {
    Step step =
        em.createQuery(
                "SELECT s FROM Step s JOIN FETCH s.plan"
                    + " WHERE s.plan.id = :plan AND s.index = :index",
                Step.class)
            .setParameter("plan", planId)
            .setParameter("index", index)
            .setLockMode(LockModeType.PESSIMISTIC_WRITE)
            .getSingleResult();
    if (step.plan().status() != PlanStatus.RUNNING) {
      return false;
    }
    change.accept(step);
    return true;
  }

  /**
   * Fails a step of a RUNNING plan, the plan and its task, in one transaction.
   *
   * @return {@code false}, changing nothing, when the plan is no longer RUNNING
   */
  @Transactional
  public boolean failStep(UUID planId, int index, String error) {
    Plan plan = lockRunning(planId);
    if (plan == null) {
      return false;
    }
    step(planId, index).fail(error);
    plan.fail("step " + index + " failed: " + error);
    em.find(Task.class, plan.taskId(), LockModeType.PESSIMISTIC_WRITE).finished(false);
    return true;
  }

  /**
   * Marks a RUNNING plan COMPLETED and its task too; {@code false} when it is no longer RUNNING.
   */
  @Transactional
  public boolean complete(UUID planId) {
    Plan plan = lockRunning(planId);
    if (plan == null) {
      return false;
    }
    plan.complete();
    em.find(Task.class, plan.taskId(), LockModeType.PESSIMISTIC_WRITE).finished(true);
    return true;
  }

  /**
   * Marks a RUNNING plan FAILED, with any running step, and its task too; {@code false} when it is
   * no longer RUNNING.
   */
  @Transactional
  public boolean fail(UUID planId, String message) {
    Plan plan = lockRunning(planId);
    if (plan == null) {
      return false;
    }
    plan.fail(message);
    em.find(Task.class, plan.taskId(), LockModeType.PESSIMISTIC_WRITE).finished(false);
    return true;
  }

  /**
   * Cancels a DRAFT or RUNNING plan: the running step becomes CANCELLED, and a running plan's task
   * too.
   *
   * @throws NotFound for an unknown plan
   * @throws Conflict for one that has ended
   */
  @Transactional
  public Plan cancel(UUID planId, String reason) {
    Plan plan = em.find(Plan.class, planId, LockModeType.PESSIMISTIC_WRITE);
    if (plan == null) {
      throw new NotFound("no plan " + planId);
    }
    if (plan.status().ended()) {
      throw new Conflict(
          "plan "
              + planId
              + " has ended ("
              + plan.status()
              + "); only a DRAFT or RUNNING plan can be cancelled");
    }
    boolean wasRunning = plan.status() == PlanStatus.RUNNING;
    plan.cancel(reason);
    if (wasRunning) {
      em.find(Task.class, plan.taskId(), LockModeType.PESSIMISTIC_WRITE).cancelled();
    }
    plan.steps().size();
    return plan;
  }

  /**
   * The RUNNING plans whose runner is gone: no instance recorded, its instance row missing or its
   * heartbeat older than {@code staleSeconds}, or this instance itself (the caller keeps those it
   * still runs).
   */
  @Transactional
  public List<UUID> abandoned(UUID self, long staleSeconds) {
    @SuppressWarnings("unchecked")
    List<Object> ids =
        em.createNativeQuery(
                "SELECT p.id::text FROM plans p LEFT JOIN instances i ON i.id = p.runner_instance"
                    + " WHERE p.status = 'RUNNING' AND (p.runner_instance IS NULL OR i.id IS NULL"
                    + " OR i.heartbeat_at < now() - make_interval(secs => ?1)"
                    + " OR p.runner_instance = ?2::uuid)")
            .setParameter(1, staleSeconds)
            .setParameter(2, self.toString())
            .getResultList();
    return ids.stream().map(id -> UUID.fromString(id.toString())).toList();
  }

  /**
   * Marks a plan that is still RUNNING as FAILED because its run was interrupted, with any running
   * step, and its task too.
   *
   * @return {@code false} when it is no longer RUNNING
   */
  @Transactional
  public boolean interrupt(UUID planId, String why) {
    return fail(planId, "interrupted: " + why);
  }

  /** Of the given plans, those that have ended (cancelled through another instance, for one). */
  @Transactional
  public List<UUID> ended(Collection<UUID> planIds) {
    if (planIds.isEmpty()) {
      return List.of();
    }
    return em.createQuery(
            "SELECT p.id FROM Plan p WHERE p.id IN :ids AND p.status IN :ended", UUID.class)
        .setParameter("ids", planIds)
        .setParameter(
            "ended", List.of(PlanStatus.COMPLETED, PlanStatus.FAILED, PlanStatus.CANCELLED))
        .getResultList();
  }

  @Override
  public List<UUID> planIds(UUID taskId) {
    return em.createQuery(
            "SELECT p.id FROM Plan p WHERE p.taskId = :task ORDER BY p.createdAt", UUID.class)
        .setParameter("task", taskId)
        .getResultList();
  }

  @Override
  public Map<UUID, List<UUID>> planIds(Collection<UUID> taskIds) {
    Map<UUID, List<UUID>> byTask = new HashMap<>();
    if (taskIds.isEmpty()) {
      return byTask;
    }
    em.createQuery(
            "SELECT p.taskId, p.id FROM Plan p WHERE p.taskId IN :tasks ORDER BY p.createdAt",
            Object[].class)
        .setParameter("tasks", taskIds)
        .getResultList()
        .forEach(
            row ->
                byTask.computeIfAbsent((UUID) row[0], k -> new ArrayList<>()).add((UUID) row[1]));
    return byTask;
  }

  /**
   * The plan, its row locked, when it is RUNNING; its steps are read only if the caller needs them.
   */
  private Plan lockRunning(UUID planId) {
    Plan plan = em.find(Plan.class, planId, LockModeType.PESSIMISTIC_WRITE);
    if (plan == null) {
      return null;
    }
    return plan.status() == PlanStatus.RUNNING ? plan : null;
  }

  private Step step(UUID planId, int index) {
    return em.createQuery(
            "SELECT s FROM Step s WHERE s.plan.id = :plan AND s.index = :index", Step.class)
        .setParameter("plan", planId)
        .setParameter("index", index)
        .getSingleResult();
  }
}
