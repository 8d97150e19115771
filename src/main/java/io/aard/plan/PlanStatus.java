package io.aard.plan;

/** Where a plan stands. A plan is never left {@link #RUNNING} once its execution returns. */
public enum PlanStatus {
  DRAFT,
  RUNNING,
  COMPLETED,
  FAILED
}
