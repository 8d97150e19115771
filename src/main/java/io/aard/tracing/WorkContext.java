package io.aard.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.util.UUID;

/**
 * The ids of the work in progress (task, plan, agent, tool), carried in the OpenTelemetry {@link
 * Context}. Code that starts work for a task or plan enters it once; {@link WorkContextProcessor}
 * then stamps the ids on every span started inside, automatic HTTP client spans and LLM spans
 * included, so no call site repeats them.
 *
 * <p>The task id is also the span's {@code gen_ai.conversation.id}: in the OpenTelemetry GenAI
 * conventions a conversation (session) groups every operation of one piece of work, and a task is
 * that piece of work here, from its creation through every plan and run of it. Tools that read the
 * conventions (Langfuse, Phoenix, Jaeger) then show a task's spans as one session.
 *
 * @param taskId the task, or {@code null}
 * @param planId the plan, or {@code null}
 * @param agentId the agent running the current step, or {@code null}
 * @param toolId the tool of the current step, or {@code null}
 */
public record WorkContext(UUID taskId, UUID planId, UUID agentId, UUID toolId) {

  public static final AttributeKey<String> TASK_ID = AttributeKey.stringKey("aard.task_id");
  public static final AttributeKey<String> PLAN_ID = AttributeKey.stringKey("aard.plan_id");
  public static final AttributeKey<String> AGENT_ID = AttributeKey.stringKey("aard.agent_id");
  public static final AttributeKey<String> TOOL_ID = AttributeKey.stringKey("aard.tool_id");

  /** The GenAI conventions' session key; AARD's value is the task id. */
  public static final AttributeKey<String> CONVERSATION_ID =
      AttributeKey.stringKey("gen_ai.conversation.id");

  private static final ContextKey<WorkContext> KEY = ContextKey.named("aard.work");
  private static final WorkContext NONE = new WorkContext(null, null, null, null);

  /** The work context in {@code context}, or one with no ids. */
  public static WorkContext from(Context context) {
    WorkContext work = context.get(KEY);
    return work == null ? NONE : work;
  }

  /**
   * Enters work for a task and plan: stamps the current span (the request's server span) and makes
   * the ids current for every span started until the scope closes.
   */
  public static Scope enter(UUID taskId, UUID planId) {
    stampCurrentSpan(taskId, planId);
    WorkContext work = new WorkContext(taskId, planId, null, null);
    return Context.current().with(KEY, work).makeCurrent();
  }

  /** Enters a step's agent and tool inside the current task and plan. */
  public static Scope enterStep(UUID agentId, UUID toolId) {
    WorkContext outer = from(Context.current());
    WorkContext work = new WorkContext(outer.taskId, outer.planId, agentId, toolId);
    return Context.current().with(KEY, work).makeCurrent();
  }

  /** Stamps the ids on the current span only, for requests that read a task or plan. */
  public static void stampCurrentSpan(UUID taskId, UUID planId) {
    new WorkContext(taskId, planId, null, null).stampSpan(Span.current());
  }

  /**
   * Sets this context's ids on a span, and the task id as {@code gen_ai.conversation.id}; absent
   * ids are left unset.
   */
  public void stampSpan(Span span) {
    if (taskId != null) {
      span.setAttribute(TASK_ID, taskId.toString());
      span.setAttribute(CONVERSATION_ID, taskId.toString());
    }
    if (planId != null) {
      span.setAttribute(PLAN_ID, planId.toString());
    }
    if (agentId != null) {
      span.setAttribute(AGENT_ID, agentId.toString());
    }
    if (toolId != null) {
      span.setAttribute(TOOL_ID, toolId.toString());
    }
  }

  boolean isEmpty() {
    return taskId == null && planId == null && agentId == null && toolId == null;
  }
}
