package io.aard.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * Wraps the span processors that export (the SDK's batch processor) so that the server span of a
 * request refused by the API key check (401 or 403) never enters their queue. {@link
 * SanitizingSpanExporter} drops such spans too, but only when the queue hands them over: a flood of
 * refused requests would otherwise fill the queue (2,048 spans) faster than a slow exporter empties
 * it, and the queue would then drop the spans of requests that were let in.
 */
public final class RefusedRequestFilter implements SpanProcessor {

  private static final AttributeKey<Long> STATUS_CODE =
      AttributeKey.longKey("http.response.status_code");

  private final SpanProcessor delegate;

  private RefusedRequestFilter(SpanProcessor delegate) {
    this.delegate = delegate;
  }

  /** {@code delegate} without the spans of refused requests; never wraps a filter twice. */
  public static SpanProcessor wrap(SpanProcessor delegate) {
    return delegate instanceof RefusedRequestFilter ? delegate : new RefusedRequestFilter(delegate);
  }

  /** The server span of a request refused for want of a (sufficient) API key. */
  static boolean isRefused(ReadableSpan span) {
    if (span.getKind() != SpanKind.SERVER) {
      return false;
    }
    Long status = span.getAttribute(STATUS_CODE);
    return status != null && (status == 401 || status == 403);
  }

  @Override
  public void onStart(Context parentContext, ReadWriteSpan span) {
    delegate.onStart(parentContext, span);
  }

  @Override
  public boolean isStartRequired() {
    return delegate.isStartRequired();
  }

  @Override
  public void onEnd(ReadableSpan span) {
    if (!isRefused(span)) {
      delegate.onEnd(span);
    }
  }

  @Override
  public boolean isEndRequired() {
    return delegate.isEndRequired();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public CompletableResultCode forceFlush() {
    return delegate.forceFlush();
  }

  @Override
  public String toString() {
    return "RefusedRequestFilter{" + delegate + "}";
  }
}
