package io.aard.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * Every ERROR span carries {@code error.type}, as the OpenTelemetry conventions ask of an operation
 * that failed, so that a backend can group failures without reading messages.
 *
 * <p>AARD's code sets it where it sets the status: a step's {@code tool_error} or {@code timeout},
 * a model call's HTTP status or {@code schema_mismatch}, a statement's SQLSTATE, and the
 * exception's class name on the planning spans ({@link #onCurrentSpan}). The spans whose status
 * AARD does not set get it at export ({@link #complete}, called by {@link SanitizingSpanExporter}):
 * a span processor cannot add it, since {@code onEnd} sees a read-only span, and the status of
 * those spans is set after the code that knows the failure has returned (the {@code @WithSpan}
 * interceptor marks a span ERROR once its method has thrown; automatic server and client spans are
 * Liberty's).
 */
public final class ErrorTypes {

  /** The conventions' attribute. */
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  /** The conventions' value when nothing more precise is known. */
  public static final String OTHER = "_OTHER";

  private static final AttributeKey<String> EXCEPTION_TYPE =
      AttributeKey.stringKey("exception.type");
  private static final AttributeKey<Long> HTTP_STATUS =
      AttributeKey.longKey("http.response.status_code");

  private ErrorTypes() {}

  /**
   * The {@code error.type} of a failure: its exception's class name, as the conventions suggest.
   */
  public static String of(Throwable failure) {
    return failure.getClass().getName();
  }

  /**
   * Sets {@code error.type} for {@code failure} on the current span: for a {@code @WithSpan} method
   * about to rethrow, whose span the interceptor then marks ERROR.
   */
  public static void onCurrentSpan(Throwable failure) {
    Span.current().setAttribute(ERROR_TYPE, of(failure));
  }

  /**
   * {@code span}, or a view of it with {@code error.type} when it is ERROR without one: the type of
   * its first {@code exception} event, else its HTTP status code, else {@value #OTHER}.
   */
  static SpanData complete(SpanData span) {
    if (span.getStatus().getStatusCode() != StatusCode.ERROR
        || span.getAttributes().get(ERROR_TYPE) != null) {
      return span;
    }
    Attributes attributes =
        span.getAttributes().toBuilder().put(ERROR_TYPE, inferred(span)).build();
    return new Typed(span, attributes);
  }

  private static String inferred(SpanData span) {
    for (EventData event : span.getEvents()) {
      if ("exception".equals(event.getName())) {
        String type = event.getAttributes().get(EXCEPTION_TYPE);
        if (type != null && !type.isBlank()) {
          return type;
        }
      }
    }
    Long status = span.getAttributes().get(HTTP_STATUS);
    return status != null ? status.toString() : OTHER;
  }

  private static final class Typed extends DelegatingSpanData {

    private final Attributes attributes;

    Typed(SpanData delegate, Attributes attributes) {
      super(delegate);
      this.attributes = attributes;
    }

    @Override
    public Attributes getAttributes() {
      return attributes;
    }

    @Override
    public int getTotalAttributeCount() {
      return Math.max(super.getTotalAttributeCount(), attributes.size());
    }
  }
}
