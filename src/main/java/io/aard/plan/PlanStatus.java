package io.aard.plan;

/**
 * Where a plan stands: DRAFT → RUNNING → COMPLETED, FAILED or CANCELLED; a DRAFT may also be
 * CANCELLED. A plan is never left {@link #RUNNING} once its execution ends, and one whose instance
 * stopped is marked FAILED by the {@link PlanSupervisor}.
 */
public enum PlanStatus {
  DRAFT,
  RUNNING,
  COMPLETED,
  FAILED,
  CANCELLED;

  /** Whether the plan has ended: nothing changes it any more. */
  public boolean ended() {
    return this == COMPLETED || this == FAILED || this == CANCELLED;
  }
}
