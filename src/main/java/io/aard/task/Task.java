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

  /** A plan was made for the task. */
  public void planned() {
    moveTo(TaskStatus.PLANNED);
  }

  /** One of its plans started to run. */
  public void started() {
    moveTo(TaskStatus.RUNNING);
  }

  /** Its plan ran to the end, successfully or not. */
  public void finished(boolean succeeded) {
    moveTo(succeeded ? TaskStatus.COMPLETED : TaskStatus.FAILED);
  }

  private void moveTo(TaskStatus next) {
    status = next;
    updatedAt = now();
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
