package io.aard.task;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** A task submitted by a user. Its id and status are the platform's, never the client's. */
@Entity
@Table(name = "tasks")
public class Task {

  /** The longest description accepted, in characters. */
  public static final int MAX_DESCRIPTION_LENGTH = 10_000;

  @Id private UUID id;

  @Column(nullable = false)
  private String description;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private TaskStatus status;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "updated_at", nullable = false)
  private Instant updatedAt;

  protected Task() {}

  /** A new task in status {@link TaskStatus#CREATED}. */
  public Task(String description) {
    if (description == null || description.isBlank()) {
      throw new IllegalArgumentException("a task needs a description");
    }
    if (description.length() > MAX_DESCRIPTION_LENGTH) {
      throw new IllegalArgumentException("a task description is at most 10,000 characters");
    }
    this.id = UUID.randomUUID();
    this.description = description;
    this.status = TaskStatus.CREATED;
    this.createdAt = now();
    this.updatedAt = createdAt;
  }

  public UUID id() {
    return id;
  }

  public String description() {
    return description;
  }

  public TaskStatus status() {
    return status;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant updatedAt() {
    return updatedAt;
  }

  /**
   * A plan was made for the task.
   *
   * @throws IllegalStateException while one of its plans runs: a new plan then would race the
   *     running one on the task's status
   */
  public void planned() {
    if (status == TaskStatus.RUNNING) {
      throw new IllegalStateException(
          "task "
              + id
              + " has a plan running; cancel it or wait for it to end before planning again");
    }
    moveTo(TaskStatus.PLANNED);
  }

  /**
   * One of its plans started to run.
   *
   * @throws IllegalStateException when another of its plans is running, or it has no plan yet
   */
  public void started() {
    if (status == TaskStatus.RUNNING) {
      throw new IllegalStateException(
          "task " + id + " already has a plan running; one plan of a task runs at a time");
    }
    if (status == TaskStatus.CREATED) {
      throw new IllegalStateException("task " + id + " has no plan to run");
    }
    moveTo(TaskStatus.RUNNING);
  }

  /** Its running plan ended, successfully or not; a task that is not running is left as it is. */
  public void finished(boolean succeeded) {
    if (status == TaskStatus.RUNNING) {
      moveTo(succeeded ? TaskStatus.COMPLETED : TaskStatus.FAILED);
    }
  }

  /** Its running plan was cancelled; a task that is not running is left as it is. */
  public void cancelled() {
    if (status == TaskStatus.RUNNING) {
      moveTo(TaskStatus.CANCELLED);
    }
  }

  private void moveTo(TaskStatus next) {
    status = next;
    updatedAt = now();
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
