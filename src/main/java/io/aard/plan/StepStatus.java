package io.aard.plan;

/** Where a step stands. Steps after a failed one stay {@link #PENDING}. */
public enum StepStatus {
  PENDING,
  RUNNING,
  DONE,
  FAILED
}
