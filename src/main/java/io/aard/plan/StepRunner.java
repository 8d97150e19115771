package io.aard.plan;

import io.aard.Settings;
import io.aard.llm.LanguageModel;
import io.aard.registry.Agent;
import io.aard.registry.AgentDirectory;
import io.aard.registry.RegisteredTool;
import io.aard.tool.Tool;
import io.aard.tool.ToolBeans;
import io.aard.tool.ToolException;
import io.aard.tracing.ErrorTypes;
import io.aard.tracing.GenAi;
import io.aard.tracing.WorkContext;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one step with its agent's tool, as an {@code execution.execute_step} span.
 *
 * <p>The tool works on a thread of its own while this one waits, for at most {@code
 * STEP_TIMEOUT_SECONDS} and only until the plan is cancelled: whatever the tool is blocked in (a
 * DNS look-up, a server that sends a byte every few seconds, a slow model), the step ends on time,
 * and the tool's thread is interrupted.
 */
@ApplicationScoped
public class StepRunner {

  private static final Logger LOG = Logger.getLogger(StepRunner.class.getName());

  /** The step's final status on its span: DONE, FAILED or CANCELLED. */
  static final AttributeKey<String> STEP_STATUS = AttributeKey.stringKey("aard.step.status");

  private static final AttributeKey<String> ERROR_TYPE = ErrorTypes.ERROR_TYPE;

  private static final String INTERRUPTED = "interrupted: the server running it stopped";

  @Inject ToolBeans tools;
  @Inject AgentDirectory directory;
  @Inject LanguageModel model;
  @Inject Tracer tracer;

  @Resource ManagedExecutorService executor;

  private Duration timeout;

  @PostConstruct
  void readSettings() {
    timeout = ExecutionSettings.stepTimeout(Settings.lookup());
  }

  /**
   * What a step produced: its output, the error that failed it, or that it was cancelled or
   * interrupted (its thread was, because the server is stopping).
   */
  public record Outcome(String output, String error, boolean cancelled, boolean interrupted) {
    boolean failed() {
      return error != null;
    }

    static Outcome done(String output) {
      return new Outcome(output, null, false, false);
    }

    static Outcome failure(String error) {
      return new Outcome(null, error, false, false);
    }

    static Outcome cancelledRun() {
      return new Outcome(null, null, true, false);
    }

    static Outcome interruptedRun() {
      return new Outcome(null, null, false, true);
    }
  }

  /**
   * Runs the step on {@code input} (its references resolved). It never throws for a failing tool:
   * the failure is the outcome, and the span is marked ERROR with the message and an {@code
   * exception} event. A cancelled step's span says so ({@code aard.step.status=CANCELLED} and an
   * {@code aard.cancelled} event) without being an error.
   *
   * <p>In the GenAI conventions the step's span is the tool call ({@code execute_tool}, its call id
   * the step's id), and the tool runs inside a child span of the agent at work ({@code invoke_agent
   * <agent>}): the model calls of an {@code llm} step are that span's children.
   *
   * @param context the task and the earlier steps' outputs, for tools that use them
   */
  @WithSpan("execution.execute_step")
  public Outcome run(Step step, String input, String context, PlanRuns.Run run) {
    Span span = Span.current();
    String toolName = directory.tool(step.toolId()).map(RegisteredTool::name).orElse("unknown");
    String agentName = directory.agent(step.agentId()).map(Agent::name).orElse(null);
    span.setAttribute(GenAi.OPERATION, GenAi.EXECUTE_TOOL);
    span.setAttribute("aard.step_index", (long) step.index());
    span.setAttribute(GenAi.AGENT_ID, step.agentId().toString());
    span.setAttribute(GenAi.TOOL_NAME, toolName);
    span.setAttribute(GenAi.TOOL_CALL_ID, step.id().toString());
    if (agentName != null) {
      span.setAttribute(GenAi.AGENT_NAME, agentName);
    }
    try (Scope work = WorkContext.enterStep(step.agentId(), step.toolId())) {
      WorkContext.from(Context.current()).stampSpan(span);
      Tool tool =
          tools
              .find(toolName)
              .orElseThrow(() -> new ToolException("tool '" + toolName + "' is not available"));
      Outcome outcome = callAsAgent(step.agentId(), agentName, tool, input, context, run);
      if (outcome.cancelled()) {
        span.setAttribute(STEP_STATUS, StepStatus.CANCELLED.name());
        span.addEvent("aard.cancelled");
      } else if (outcome.interrupted()) {
        span.setStatus(StatusCode.ERROR, INTERRUPTED);
        span.setAllAttributes(
            Attributes.of(ERROR_TYPE, "interrupted", STEP_STATUS, StepStatus.FAILED.name()));
      } else if (!outcome.failed()) {
        span.setAttribute(STEP_STATUS, StepStatus.DONE.name());
      }
      return outcome;
    } catch (ToolException e) {
      return failed(span, e, e.getMessage(), "tool_error");
    } catch (StepTimeout e) {
      return failed(span, e, e.getMessage(), "timeout");
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Tool " + toolName + " failed unexpectedly", e);
      return failed(
          span, e, "tool '" + toolName + "' failed unexpectedly: " + e.getMessage(), "internal");
    }
  }

  /**
   * The tool's call inside an {@code invoke_agent <agent>} span, INTERNAL as the conventions say of
   * an agent in the same process. It fails as the step does, with the same {@code error.type}; the
   * exception event stays on the step's span alone.
   */
  private Outcome callAsAgent(
      UUID agentId, String agentName, Tool tool, String input, String context, PlanRuns.Run run)
      throws ToolException, StepTimeout {
    Span agent =
        tracer
            .spanBuilder(
                agentName == null ? GenAi.INVOKE_AGENT : GenAi.INVOKE_AGENT + " " + agentName)
            .setSpanKind(SpanKind.INTERNAL)
            .setAttribute(GenAi.OPERATION, GenAi.INVOKE_AGENT)
            .setAttribute(GenAi.PROVIDER, model.provider())
            .setAttribute(GenAi.AGENT_ID, agentId.toString())
            .startSpan();
    if (agentName != null) {
      agent.setAttribute(GenAi.AGENT_NAME, agentName);
    }
    try (Scope inside = agent.makeCurrent()) {
      Outcome outcome = call(tool, input, context, run);
      if (outcome.interrupted()) {
        agentFailed(agent, INTERRUPTED, "interrupted");
      }
      return outcome;
    } catch (ToolException e) {
      agentFailed(agent, e.getMessage(), "tool_error");
      throw e;
    } catch (StepTimeout e) {
      agentFailed(agent, e.getMessage(), "timeout");
      throw e;
    } catch (RuntimeException e) {
      agentFailed(agent, String.valueOf(e.getMessage()), "internal");
      throw e;
    } finally {
      agent.end();
    }
  }

  private static void agentFailed(Span agent, String message, String errorType) {
    agent.setStatus(StatusCode.ERROR, message);
    agent.setAttribute(ERROR_TYPE, errorType);
  }

  /** The tool's call on a thread of its own, awaited until it ends, times out or is cancelled. */
  private Outcome call(Tool tool, String input, String context, PlanRuns.Run run)
      throws ToolException, StepTimeout {
    CompletableFuture<String> result = new CompletableFuture<>();
    Runnable work =
        Context.current()
            .wrap(
                () -> {
                  try {
                    result.complete(tool.execute(input, context));
                  } catch (Throwable e) {
                    result.completeExceptionally(e);
                  }
                });
    Future<?> thread;
    try {
      thread = executor.submit(work);
    } catch (RejectedExecutionException e) {
      throw new ToolException("the server has no thread free to run the tool; try again later", e);
    }
    try {
      CompletableFuture.anyOf(result, run.cancelled())
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      thread.cancel(true);
      throw new StepTimeout(
          "the step did not finish within "
              + timeout.toSeconds()
              + " s ("
              + ExecutionSettings.STEP_TIMEOUT_KEY
              + ")");
    } catch (InterruptedException e) {
      thread.cancel(true);
      Thread.currentThread().interrupt();
      return Outcome.interruptedRun();
    } catch (ExecutionException e) {
      // Only the tool's future completes exceptionally; it is read below.
    }
    if (!result.isDone()) {
      thread.cancel(true);
      return Outcome.cancelledRun();
    }
    try {
      return Outcome.done(result.get());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ToolException failure) {
        throw failure;
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.interruptedRun();
    }
  }

  private static Outcome failed(Span span, Exception e, String message, String errorType) {
    span.recordException(e);
    span.setStatus(StatusCode.ERROR, message);
    span.setAllAttributes(
        Attributes.of(ERROR_TYPE, errorType, STEP_STATUS, StepStatus.FAILED.name()));
    return Outcome.failure(message);
  }

  /** The step ran past {@code STEP_TIMEOUT_SECONDS}. */
  private static final class StepTimeout extends Exception {
    private static final long serialVersionUID = 1L;

    StepTimeout(String message) {
      super(message);
    }
  }
}
