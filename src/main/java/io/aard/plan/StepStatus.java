package io.aard.plan;

/**
 * Where a step stands. Steps after a failed or cancelled one stay {@link #PENDING}; the step that
 * was running when its plan was cancelled is {@link #CANCELLED}.
 */
public enum StepStatus {
  PENDING,
  RUNNING,
  DONE,
  FAILED,
  CANCELLED
}
