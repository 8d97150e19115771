package io.aard.task;

/** Where a task stands, following its latest plan. */
public enum TaskStatus {
  /** Submitted, not planned yet. */
  CREATED,
  /** Has a plan that has not run. */
  PLANNED,
  /** A plan is running. */
  RUNNING,
  /** The latest plan ran every step. */
  COMPLETED,
  /** The latest plan failed, or was interrupted. */
  FAILED,
  /** The latest plan was cancelled while it ran. */
  CANCELLED
}
