package io.aard.tracing;

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
 */
public final class SanitizingSpanExporter implements SpanExporter {

  private static final Logger LOG = Logger.getLogger(SanitizingSpanExporter.class.getName());

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
        clean.add(sanitizer.sanitize(span));
      }
    } catch (RuntimeException e) {
      // Never pass on a span that could not be checked: it might hold what must not leave.
      LOG.log(Level.WARNING, "Dropped a batch of " + spans.size() + " spans: sanitizing failed", e);
      return CompletableResultCode.ofFailure();
    }
    return delegate.export(clean);
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
