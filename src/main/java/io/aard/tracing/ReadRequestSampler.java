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
 * /api/traces...}, {@code /api/sessions...}) or of a path outside {@code /api/} (the viewer's
 * files) is dropped, and with it the spans under it, unless {@code TRACING_TRACE_VIEWER=true}.
 * Otherwise every page of the viewer would store traces of itself, newer than any agent's, and bury
 * them on the first page of a search. A dropped request still has a span context, so its response
 * keeps its {@code traceparent} (flagged not sampled) and its log lines their ids.
 */
final class ReadRequestSampler implements Sampler {

  /** The property {@code TRACING_TRACE_VIEWER} becomes. */
  static final String PROPERTY = "otel.aard.trace.viewer";

  private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  private static final String API = "/api/";
  private static final String TRACE_API = "/api/traces";
  private static final String SESSION_API = "/api/sessions";

  /**
   * The OTLP receiver's path: its requests are never traced, whatever {@code TRACING_TRACE_VIEWER}
   * says, or every export of spans would store a span of its own and, sent by an SDK that exports
   * to AARD, feed itself.
   */
  static final String INGEST_PATH = "/v1/traces";

  private final Sampler delegate;
  private final boolean traceViewer;

  private ReadRequestSampler(Sampler delegate, boolean traceViewer) {
    this.delegate = delegate;
    this.traceViewer = traceViewer;
  }

  /** {@code sampler} dropping the OTLP receiver's requests, and the viewer's unless traced. */
  static Sampler wrap(Sampler sampler, boolean traceViewer) {
    return new ReadRequestSampler(sampler, traceViewer);
  }

  @Override
  public SamplingResult shouldSample(
      Context parentContext,
      String traceId,
      String name,
      SpanKind spanKind,
      Attributes attributes,
      List<LinkData> parentLinks) {
    if (spanKind == SpanKind.SERVER
        && (INGEST_PATH.equals(attributes.get(URL_PATH))
            || (!traceViewer && isViewerRead(attributes.get(URL_PATH))))) {
      return SamplingResult.drop();
    }
    return delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
  }

  /** A request path that is the trace API's (traces, sessions) or outside the platform API. */
  static boolean isViewerRead(String path) {
    if (path == null) {
      return false;
    }
    return !path.startsWith(API) || isUnder(path, TRACE_API) || isUnder(path, SESSION_API);
  }

  private static boolean isUnder(String path, String root) {
    return path.equals(root) || path.startsWith(root + "/");
  }

  @Override
  public String getDescription() {
    return "ReadRequestSampler{" + delegate.getDescription() + "}";
  }
}
