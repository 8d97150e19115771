package io.aard.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;

/**
 * Keeps AARD's reading of its own traces out of them: a server span of the trace API ({@code
 * /api/traces...}) or of a path outside {@code /api/} (the viewer's files) is dropped, and with it
 * the spans under it, unless {@code TRACING_TRACE_VIEWER=true}. Otherwise every page of the viewer
 * would store traces of itself, newer than any agent's, and bury them on the first page of a
 * search. A dropped request still has a span context, so its response keeps its {@code traceparent}
 * (flagged not sampled) and its log lines their ids.
 */
final class ReadRequestSampler implements Sampler {

  /** The property {@code TRACING_TRACE_VIEWER} becomes. */
  static final String PROPERTY = "otel.aard.trace.viewer";

  private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  private static final String API = "/api/";
  private static final String TRACE_API = "/api/traces";

  private final Sampler delegate;

  private ReadRequestSampler(Sampler delegate) {
    this.delegate = delegate;
  }

  /** {@code sampler}, or {@code sampler} dropping the viewer's requests if they are untraced. */
  static Sampler wrap(Sampler sampler, boolean traceViewer) {
    return traceViewer ? sampler : new ReadRequestSampler(sampler);
  }

  @Override
  public SamplingResult shouldSample(
      Context parentContext,
      String traceId,
      String name,
      SpanKind spanKind,
      Attributes attributes,
      List<LinkData> parentLinks) {
    if (spanKind == SpanKind.SERVER && isViewerRead(attributes.get(URL_PATH))) {
      return SamplingResult.drop();
    }
    return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
  }

  /** A request path that is the trace API's or outside the platform API. */
  static boolean isViewerRead(String path) {
    if (path == null) {
      return false;
    }
    return !path.startsWith(API) || path.equals(TRACE_API) || path.startsWith(TRACE_API + "/");
  }

  @Override
  public String getDescription() {
    return "ReadRequestSampler{" + delegate.getDescription() + "}";
  }
}
