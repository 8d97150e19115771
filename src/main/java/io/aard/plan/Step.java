package io.aard.plan;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/** One step of a plan: an agent runs a tool on an input. */
@Entity
@Table(name = "plan_steps")
public class Step {

  @Id private UUID id;

  @ManyToOne(optional = false)
  @JoinColumn(name = "plan_id")
  private Plan plan;

  @Column(name = "step_index", nullable = false)
  private int index;

  @Column(nullable = false)
  private String description;

  @Column(name = "agent_id", nullable = false)
  private UUID agentId;

  @Column(name = "tool_id", nullable = false)
  private UUID toolId;

  @Column(nullable = false)
  private String input;

  /** The input the step ran with: {@link #input} with its step references resolved. */
  @Column(name = "resolved_input")
  private String resolvedInput;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false)
  private StepStatus status;

  private String output;
  private String error;

  @Column(name = "started_at")
  private Instant startedAt;

  @Column(name = "finished_at")
  private Instant finishedAt;

  protected Step() {}

  Step(Plan plan, int index, String description, UUID agentId, UUID toolId, String input) {
    this.id = UUID.randomUUID();
    this.plan = Objects.requireNonNull(plan);
    this.index = index;
    this.description = Objects.requireNonNull(description);
    this.agentId = Objects.requireNonNull(agentId);
    this.toolId = Objects.requireNonNull(toolId);
    this.input = Objects.requireNonNull(input);
    this.status = StepStatus.PENDING;
  }

  /** The step's id: its span's {@code gen_ai.tool.call.id}. */
  /** The plan the step belongs to. */
  Plan plan() {
    return plan;
  }

  public UUID id() {
    return id;
  }

  public int index() {
    return index;
  }

  public String description() {
    return description;
  }

  public UUID agentId() {
    return agentId;
  }

  public UUID toolId() {
    return toolId;
  }

  public String input() {
    return input;
  }

  /** The input the step ran with, or {@code null} before it started. */
  public String resolvedInput() {
    return resolvedInput;
  }

  public StepStatus status() {
    return status;
  }

  public String output() {
    return output;
  }

  public String error() {
    return error;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Instant finishedAt() {
    return finishedAt;
  }

  void start(String resolved) {
    if (status != StepStatus.PENDING) {
      throw new IllegalStateException("step " + index + " is " + status + ", not PENDING");
    }
    status = StepStatus.RUNNING;
    resolvedInput = Objects.requireNonNull(resolved);
    startedAt = now();
  }

  void cancel(String message) {
    status = StepStatus.CANCELLED;
    error = message;
    finishedAt = now();
  }

  void succeed(String result) {
    status = StepStatus.DONE;
    output = result;
    finishedAt = now();
  }

  void fail(String message) {
    status = StepStatus.FAILED;
    error = message;
    finishedAt = now();
  }

  static Instant now() {
    return Instant.now().truncatedTo(ChronoUnit.MICROS);
  }
}
