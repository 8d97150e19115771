package io.aard.tracing;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The OpenTelemetry GenAI conventions' names that AARD's spans carry beside their own, so that
 * backends which read the conventions (Jaeger's GenAI view, Langfuse, Phoenix) classify AARD's
 * spans when it exports by OTLP: planning, a step's tool call, the agent running it and each model
 * call. Model calls use the constants of {@code io.aard.llm.GenerationSpan}.
 */
public final class GenAi {

  /** What kind of GenAI operation a span is. */
  public static final AttributeKey<String> OPERATION =
      AttributeKey.stringKey("gen_ai.operation.name");

  /** The agent's id and its human-readable name. */
  public static final AttributeKey<String> AGENT_ID = AttributeKey.stringKey("gen_ai.agent.id");

  public static final AttributeKey<String> AGENT_NAME = AttributeKey.stringKey("gen_ai.agent.name");

  /** The tool a span executes, and the id of that call: AARD's step id. */
  public static final AttributeKey<String> TOOL_NAME = AttributeKey.stringKey("gen_ai.tool.name");

  public static final AttributeKey<String> TOOL_CALL_ID =
      AttributeKey.stringKey("gen_ai.tool.call.id");

  /** The provider of the model behind the operation: {@code builtin} or {@code ollama}. */
  public static final AttributeKey<String> PROVIDER =
      AttributeKey.stringKey("gen_ai.provider.name");

  /** Making a plan for a task: a value of AARD's own, the conventions have none for planning. */
  public static final String PLAN = "plan";

  /** Running a tool: a step's span. */
  public static final String EXECUTE_TOOL = "execute_tool";

  /** An agent at work: the span of the agent that runs a step's tool. */
  public static final String INVOKE_AGENT = "invoke_agent";

  /** A model call with a conversation of messages: both providers' calls. */
  public static final String CHAT = "chat";

  private GenAi() {}
}
