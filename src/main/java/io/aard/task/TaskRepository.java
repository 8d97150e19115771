package io.aard.task;

import io.aard.tracing.WorkContext;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Tasks in PostgreSQL. */
@ApplicationScoped
public class TaskRepository {

  @PersistenceContext(unitName = "aard")
  EntityManager em;

  @Transactional
  public Task create(String description) {
    Task task = new Task(description);
    // Written now, inside the task's work context, so that the INSERT's database span carries the
    // task id (at commit, after this method, the id would no longer be current).
    try (Scope work = WorkContext.enter(task.id(), null)) {
      em.persist(task);
      em.flush();
    }
    return task;
  }

  /**
   * The task as stored now: read in a transaction of its own, as {@code PlanRepository.find} does,
   * since outside one the request's persistence context may hold an older copy.
   */
  @Transactional
  public Optional<Task> find(UUID id) {
    return Optional.ofNullable(em.find(Task.class, id));
  }

  /** Newest first, optionally of one status. */
  public List<Task> list(TaskStatus status, int limit) {
    var query =
        status == null
            ? em.createQuery("SELECT t FROM Task t ORDER BY t.createdAt DESC, t.id", Task.class)
            : em.createQuery(
                    "SELECT t FROM Task t WHERE t.status = :status ORDER BY t.createdAt DESC, t.id",
                    Task.class)
                .setParameter("status", status);
    return query.setMaxResults(limit).getResultList();
  }
}
