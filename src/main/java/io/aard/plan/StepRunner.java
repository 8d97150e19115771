package io.aard.plan;

import io.aard.agent.AgentDirectory;
import io.aard.tool.RegisteredTool;
import io.aard.tool.Tool;
import io.aard.tool.ToolException;
import io.aard.tool.ToolRegistry;
import io.aard.tracing.WorkContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Runs one step with its agent's tool, as an {@code execution.execute_step} span. */
@ApplicationScoped
public class StepRunner {

  private static final Logger LOG = Logger.getLogger(StepRunner.class.getName());

  @Inject ToolRegistry tools;
  @Inject AgentDirectory directory;

  /** What a step produced: its output, or the error that failed it. */
  public record Outcome(String output, String error) {
    boolean failed() {
      return error != null;
    }
  }

  /**
   * Runs the step. It never throws for a failing tool: the failure is the outcome, and the span
   * is marked ERROR with the message and an {@code exception} event.
   */
  @WithSpan("execution.execute_step")
  public Outcome run(Step step) {
    Span span = Span.current();
    String toolName = directory.tool(step.toolId()).map(RegisteredTool::name).orElse("unknown");
    span.setAttribute("aard.step_index", (long) step.index());
    span.setAttribute("gen_ai.agent.id", step.agentId().toString());
    span.setAttribute("gen_ai.tool.name", toolName);
    directory.agent(step.agentId()).ifPresent(a -> span.setAttribute("gen_ai.agent.name", a.name()));
    try (Scope work = WorkContext.enterStep(step.agentId(), step.toolId())) {
      WorkContext.from(io.opentelemetry.context.Context.current()).stampSpan(span);
      Tool tool =
          tools
              .find(toolName)
              .orElseThrow(() -> new ToolException("tool '" + toolName + "' is not available"));
      return new Outcome(tool.execute(step.input()), null);
    } catch (ToolException e) {
      return failed(span, e, e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, "Tool " + toolName + " failed unexpectedly", e);
      return failed(span, e, "tool '" + toolName + "' failed unexpectedly: " + e.getMessage());
    }
  }

  private static Outcome failed(Span span, Exception e, String message) {
    span.recordException(e);
    span.setStatus(StatusCode.ERROR, message);
    return new Outcome(null, message);
  }
}
