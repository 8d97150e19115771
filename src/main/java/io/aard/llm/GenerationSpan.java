package io.aard.llm;

import io.aard.tracing.ErrorTypes;
import io.aard.tracing.GenAi;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * One language model call as a {@code <provider>.generate} span with the GenAI semantic conventions
 * ({@code gen_ai.operation.name} {@code chat}: both providers send a conversation). Both providers
 * use it so that their spans look the same to a query.
 *
 * <pre>{@code
 * try (GenerationSpan span = GenerationSpan.start(tracer, "ollama", "chat", model, host, port)) {
 *   ... call the model ...
 *   span.response(responseModel, inputTokens, outputTokens);
 * } // ends the span; call span.fail(e) before rethrowing
 * }</pre>
 */
public final class GenerationSpan implements AutoCloseable {

  public static final AttributeKey<String> OPERATION = GenAi.OPERATION;
  public static final AttributeKey<String> PROVIDER = GenAi.PROVIDER;
  public static final AttributeKey<String> REQUEST_MODEL =
      AttributeKey.stringKey("gen_ai.request.model");
  public static final AttributeKey<String> RESPONSE_MODEL =
      AttributeKey.stringKey("gen_ai.response.model");
  public static final AttributeKey<Long> INPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.input_tokens");
  public static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  public static final AttributeKey<String> INPUT_MESSAGES =
      AttributeKey.stringKey("gen_ai.input.messages");
  public static final AttributeKey<String> OUTPUT_MESSAGES =
      AttributeKey.stringKey("gen_ai.output.messages");
  public static final AttributeKey<String> SERVER_ADDRESS =
      AttributeKey.stringKey("server.address");
  public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");

  /** What the call was for inside AARD: {@code analyze}, {@code decompose} or {@code complete}. */
  public static final AttributeKey<String> PURPOSE = AttributeKey.stringKey("aard.llm.purpose");

  /**
   * Which attempt of one call this span is, from 1: a provider that asks again (a transient
   * failure, a rejected answer) makes one span per attempt, and this tells them apart.
   */
  public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("aard.llm.attempt");

  /**
   * Why a failed span failed, in few distinct values (the semantic conventions' {@code
   * error.type}): an HTTP status code such as {@code 503}, or a short name such as {@code timeout}
   * or {@code schema_mismatch}.
   */
  public static final AttributeKey<String> ERROR_TYPE = ErrorTypes.ERROR_TYPE;

  private final Span span;
  private final Scope scope;

  private GenerationSpan(Span span) {
    this.span = span;
    this.scope = span.makeCurrent();
  }

  /**
   * Starts the span as a child of the current one and makes it current.
   *
   * @param operation {@code chat} or {@code text_completion}
   * @param purpose {@code analyze}, {@code decompose} or {@code complete}
   * @param serverAddress the model server's host, or {@code null} for the builtin provider
   * @param serverPort its port, or {@code -1}
   */
  public static GenerationSpan start(
      Tracer tracer,
      String provider,
      String operation,
      String purpose,
      String requestModel,
      String serverAddress,
      int serverPort) {
    var builder =
        tracer
            .spanBuilder(provider + ".generate")
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(OPERATION, operation)
            .setAttribute(PROVIDER, provider)
            .setAttribute(REQUEST_MODEL, requestModel)
            .setAttribute(PURPOSE, purpose);
    if (serverAddress != null) {
      builder.setAttribute(SERVER_ADDRESS, serverAddress);
    }
    if (serverPort > 0) {
      builder.setAttribute(SERVER_PORT, (long) serverPort);
    }
    return new GenerationSpan(builder.startSpan());
  }

  /** Records what the model answered with. */
  public void response(String responseModel, long inputTokens, long outputTokens) {
    span.setAttribute(RESPONSE_MODEL, responseModel);
    span.setAttribute(INPUT_TOKENS, inputTokens);
    span.setAttribute(OUTPUT_TOKENS, outputTokens);
  }

  /**
   * Records prompt and completion as JSON strings; call only when {@code
   * TRACING_CAPTURE_CONTENT=true}.
   */
  public void content(String inputMessagesJson, String outputMessagesJson) {
    if (inputMessagesJson != null) {
      span.setAttribute(INPUT_MESSAGES, inputMessagesJson);
    }
    if (outputMessagesJson != null) {
      span.setAttribute(OUTPUT_MESSAGES, outputMessagesJson);
    }
  }

  /** Records which attempt of its call this span is, counting from 1. */
  public void attempt(int attempt) {
    span.setAttribute(ATTEMPT, (long) attempt);
  }

  /**
   * Marks the call failed: ERROR status, the message, an {@code exception} event, and the
   * exception's class name as {@link #ERROR_TYPE}.
   */
  public void fail(Throwable error) {
    span.recordException(error);
    span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
    span.setAttribute(ERROR_TYPE, ErrorTypes.of(error));
  }

  /**
   * Marks the call failed as {@link #fail(Throwable)} does, saying why in {@link #ERROR_TYPE}.
   *
   * @param errorType a low-cardinality reason: an HTTP status code or a short snake_case name
   */
  public void fail(Throwable error, String errorType) {
    fail(error);
    span.setAttribute(ERROR_TYPE, errorType);
  }

  /** The underlying span, for attributes this class does not name. */
  public Span span() {
    return span;
  }

  @Override
  public void close() {
    scope.close();
    span.end();
  }
}
