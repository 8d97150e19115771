package io.aard.plan;

import io.aard.task.Task;
import io.aard.web.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Plans in PostgreSQL. Each state change is its own short transaction, so that no connection is
 * held while a model or a tool works, and every step's outcome is stored as soon as it is known.
 */
@ApplicationScoped
public class PlanRepository {

  @PersistenceContext(unitName = "aard")
  EntityManager em;

  /**
   * The plan with its steps, as stored now. It reads in a transaction of its own: outside one,
   * Liberty keeps a single persistence context for the whole request, and a plan read earlier in
   * the request would come back as it was then.
   */
  @Transactional
  public Optional<Plan> find(UUID id) {
    return em
        .createQuery("SELECT p FROM Plan p LEFT JOIN FETCH p.steps WHERE p.id = :id", Plan.class)
        .setParameter("id", id)
        .getResultStream()
        .findFirst();
  }

  /** Stores a new plan and marks its task planned, in one transaction. */
  @Transactional
  public void create(Plan plan) {
    em.persist(plan);
    Task task = em.find(Task.class, plan.taskId(), LockModeType.PESSIMISTIC_WRITE);
    task.planned();
  }

  /**
   * Moves a DRAFT plan to RUNNING. Concurrent requests to run the same plan are serialised by a
   * row lock: one wins, the others get a 409.
   */
  @Transactional
  public Plan start(UUID id) {
    Plan plan = em.find(Plan.class, id, LockModeType.PESSIMISTIC_WRITE);
    if (plan == null) {
      throw ApiException.notFound("no plan " + id);
    }
    if (plan.status() != PlanStatus.DRAFT) {
      throw ApiException.conflict(
          "plan " + id + " is " + plan.status() + "; only a DRAFT plan can be executed");
    }
    plan.start();
    em.find(Task.class, plan.taskId(), LockModeType.PESSIMISTIC_WRITE).started();
    plan.steps().size();
    return plan;
  }

  /** The task of a stored plan, without reading its steps. */
  @Transactional
  public Optional<UUID> taskIdOf(UUID planId) {
    return em.createQuery("SELECT p.taskId FROM Plan p WHERE p.id = :id", UUID.class)
        .setParameter("id", planId)
        .getResultStream()
        .findFirst();
  }

  /** Applies a change to one step of a stored plan; reads that step only, not the whole plan. */
  @Transactional
  public void updateStep(UUID planId, int index, Consumer<Step> change) {
    change.accept(
        em.createQuery(
                "SELECT s FROM Step s WHERE s.plan.id = :plan AND s.index = :index", Step.class)
            .setParameter("plan", planId)
            .setParameter("index", index)
            .getSingleResult());
  }

  /** Marks a plan COMPLETED and its task too. */
  @Transactional
  public void complete(UUID planId) {
    Plan plan = em.find(Plan.class, planId);
    plan.complete();
    em.find(Task.class, plan.taskId()).finished(true);
  }

  /** Marks a plan FAILED, with any running step, and its task too. */
  @Transactional
  public void fail(UUID planId, String message) {
    Plan plan = em.find(Plan.class, planId);
    plan.fail(message);
    em.find(Task.class, plan.taskId()).finished(false);
  }
}
