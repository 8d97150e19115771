package io.aard.plan;

import jakarta.persistence.CascadeType;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.OneToMany;
import jakarta.persistence.OrderBy;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A plan for a task: the model's analysis and the ordered steps. It moves DRAFT → RUNNING →
 * COMPLETED, FAILED or CANCELLED (a DRAFT may be CANCELLED too), only through the methods that name
 * those events; each refuses a move its status does not allow.
 */
@Entity
@Table(name = "plans")
public class Plan {

  @Id private UUID id;

  @Column(name = "task_id", nullable = false)
  private UUID taskId;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private PlanStatus status;

  /** The analysis as JSON (a jsonb column). */
  @Column(nullable = false)
  private String analysis;

  @Column(nullable = false)
  private String provider;

  @Column(nullable = false)
  private String model;

  private String error;

  @Column(name = "created_at", nullable = false)
  private Instant createdAt;

  @Column(name = "started_at")
  private Instant startedAt;

  @Column(name = "finished_at")
  private Instant finishedAt;

  /**
   * The instance that runs the plan while it is RUNNING; see {@link PlanSupervisor}. Text here,
   * since EclipseLink's UUID conversion fails on a NULL column; the column is a uuid.
   */
  @Column(name = "runner_instance")
  private String runnerInstance;

  @OneToMany(mappedBy = "plan", cascade = CascadeType.ALL, orphanRemoval = true)
  @OrderBy("index")
  private List<Step> steps = new ArrayList<>();

  protected Plan() {}

  /** A new DRAFT plan; its id was chosen before planning so that the planning spans carry it. */
  public Plan(UUID id, UUID taskId, String analysisJson, String provider, String model) {
    this.id = Objects.requireNonNull(id);
    this.taskId = Objects.requireNonNull(taskId);
    this.analysis = Objects.requireNonNull(analysisJson);
    this.provider = Objects.requireNonNull(provider);
    this.model = Objects.requireNonNull(model);
    this.status = PlanStatus.DRAFT;
    this.createdAt = Step.now();
  }

  /** Appends a step; only while the plan is a draft. */
  public void addStep(String description, UUID agentId, UUID toolId, String input) {
    if (status != PlanStatus.DRAFT) {
      throw new IllegalStateException("steps are added only to a draft plan");
    }
    steps.add(new Step(this, steps.size(), description, agentId, toolId, input));
  }

  public UUID id() {
    return id;
  }

  public UUID taskId() {
    return taskId;
  }

  public PlanStatus status() {
    return status;
  }

  public String analysisJson() {
    return analysis;
  }

  public String provider() {
    return provider;
  }

  public String model() {
    return model;
  }

  public String error() {
    return error;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant finishedAt() {
    return finishedAt;
  }

  public List<Step> steps() {
    return List.copyOf(steps);
  }

  /** The instance running the plan, or {@code null} when it is not RUNNING. */
  public UUID runnerInstance() {
    return runnerInstance == null ? null : UUID.fromString(runnerInstance);
  }

  void start(UUID instance) {
    if (status != PlanStatus.DRAFT) {
      throw new IllegalStateException(
          "plan " + id + " is " + status + "; only a DRAFT plan can be executed");
    }
    status = PlanStatus.RUNNING;
    runnerInstance = instance.toString();
    startedAt = Step.now();
  }

  void complete() {
    requireRunning("complete");
    status = PlanStatus.COMPLETED;
    finishedAt = Step.now();
  }

  /** Fails the plan; a step still running fails with it, so nothing is left RUNNING. */
  void fail(String message) {
    requireRunning("fail");
    for (Step step : steps) {
      if (step.status() == StepStatus.RUNNING) {
        step.fail(message);
      }
    }
    status = PlanStatus.FAILED;
    error = message;
    finishedAt = Step.now();
  }

  /**
   * Cancels a DRAFT or RUNNING plan: the step that is running becomes CANCELLED, the later ones
   * stay PENDING.
   *
   * @throws IllegalStateException when the plan has ended
   */
  void cancel(String message) {
    if (status.ended()) {
      throw new IllegalStateException(
          "plan "
              + id
              + " has ended ("
              + status
              + "); only a DRAFT or RUNNING plan can be cancelled");
    }
    for (Step step : steps) {
      if (step.status() == StepStatus.RUNNING) {
        step.cancel(message);
      }
    }
    status = PlanStatus.CANCELLED;
    error = message;
    finishedAt = Step.now();
  }

  private void requireRunning(String event) {
    if (status != PlanStatus.RUNNING) {
      throw new IllegalStateException(
          "plan " + id + " is " + status + "; only a RUNNING plan can " + event);
    }
  }
}
