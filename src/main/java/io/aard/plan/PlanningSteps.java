package io.aard.plan;

import io.aard.llm.AgentProfile;
import io.aard.llm.LanguageModel;
import io.aard.llm.ProposedStep;
import io.aard.llm.TaskAnalysis;
import io.aard.tracing.ErrorTypes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;

/**
 * The two model calls of planning, each its own span under {@code planning.generate_plan}; a
 * failing one carries the exception's class name as {@code error.type}.
 */
@ApplicationScoped
public class PlanningSteps {

  @Inject LanguageModel model;

  @WithSpan("planning.analyze_task")
  public TaskAnalysis analyze(String taskDescription) {
    try {
      TaskAnalysis analysis = model.analyze(taskDescription);
      Span.current().setAttribute("aard.analysis.complexity", analysis.complexity());
      return analysis;
    } catch (RuntimeException e) {
      ErrorTypes.onCurrentSpan(e);
      throw e;
    }
  }

  @WithSpan("planning.decompose_task")
  public List<ProposedStep> decompose(
      String taskDescription, TaskAnalysis analysis, List<AgentProfile> agents) {
    try {
      List<ProposedStep> steps = model.decompose(taskDescription, analysis, agents);
      Span.current().setAttribute("aard.step_count", (long) steps.size());
      return steps;
    } catch (RuntimeException e) {
      ErrorTypes.onCurrentSpan(e);
      throw e;
    }
  }

  public String provider() {
    return model.provider();
  }

  public String modelName() {
    return model.model();
  }
}
