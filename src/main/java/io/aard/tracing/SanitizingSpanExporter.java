package io.aard.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Wraps every exporter the SDK configures (console, OTLP, database, or any other) so that each span
 * passes the {@link SpanSanitizer} before it leaves the process. A span processor cannot do this:
 * {@code onEnd} sees a read-only span.
 *
 * <p>It also drops the server span of every request the API key check refused (401 or 403): the
 * check runs after the server has started that span, possibly in a trace the client chose by its
 * {@code traceparent}, and a stranger must not write into the store. Only the key check answers 401
 * or 403, before any resource runs, so such a span has no children. Refusals are counted by the
 * check itself ({@code /health/ready}, check {@code security}).
 *
 * <p>And it gives an ERROR span without {@code error.type} one ({@link ErrorTypes#complete}), for
 * the same reason: only here can a finished span still gain an attribute.
 */
public final class SanitizingSpanExporter implements SpanExporter {

  private static final Logger LOG = Logger.getLogger(SanitizingSpanExporter.class.getName());

  private static final AttributeKey<Long> STATUS_CODE =
      AttributeKey.longKey("http.response.status_code");

  private final SpanExporter delegate;
  private final SpanSanitizer sanitizer;

  /** Sanitizes for {@code delegate}; never wraps a sanitizing exporter twice. */
  public static SpanExporter wrap(SpanExporter delegate, SpanSanitizer sanitizer) {
    if (delegate instanceof SanitizingSpanExporter) {
      return delegate;
    }
    return new SanitizingSpanExporter(delegate, sanitizer);
  }

  private SanitizingSpanExporter(SpanExporter delegate, SpanSanitizer sanitizer) {
    this.delegate = delegate;
    this.sanitizer = sanitizer;
  }

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    List<SpanData> clean = new ArrayList<>(spans.size());
    try {
      for (SpanData span : spans) {
        if (!isRefused(span)) {
          clean.add(sanitizer.sanitize(ErrorTypes.complete(span)));
        }
      }
    } catch (RuntimeException e) {
      // Never pass on a span that could not be checked: it might hold what must not leave.
      LOG.log(Level.WARNING, "Dropped a batch of " + spans.size() + " spans: sanitizing failed", e);
      return CompletableResultCode.ofFailure();
    }
    return clean.isEmpty() ? CompletableResultCode.ofSuccess() : delegate.export(clean);
  }

  /** The server span of a request refused for want of a (sufficient) API key. */
  static boolean isRefused(SpanData span) {
    if (span.getKind() != SpanKind.SERVER) {
      return false;
    }
    Long status = span.getAttributes().get(STATUS_CODE);
    return status != null && (status == 401 || status == 403);
  }

  @Override
  public CompletableResultCode flush() {
    return delegate.flush();
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public String toString() {
    return "SanitizingSpanExporter{" + delegate + "}";
  }
}
