package io.aard.tracing;

import com.ibm.websphere.logging.hpel.LogRecordContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Links logs to traces: every log line written while a span is current carries its {@code trace_id}
 * and {@code span_id}.
 *
 * <ul>
 *   <li>Liberty's plain format ({@code messages.log}, the console): AARD's messages start with
 *       {@code trace_id=... span_id=...}, added by {@link TraceIdsInMessages} on the {@code
 *       io.aard} logger.
 *   <li>Liberty's JSON format ({@code messageFormat="json"} or {@code consoleFormat="json"}): every
 *       record, Liberty's own included, gets the fields {@code ext_trace_id} and {@code
 *       ext_span_id} through Liberty's {@link LogRecordContext}, whose extensions Liberty writes
 *       only in JSON; AARD's messages carry the prefix as well.
 * </ul>
 *
 * <p>With {@code ENABLE_TRACING=false} no span is ever current, so nothing is added.
 */
@ApplicationScoped
public class LogCorrelation {

  /** The JSON field names, as Liberty writes them: {@code ext_} + the extension's key. */
  static final String TRACE_ID_KEY = "trace_id";

  static final String SPAN_ID_KEY = "span_id";

  /** Held strongly: JUL keeps loggers, and Liberty keeps extensions, only weakly. */
  private static final Logger AARD = Logger.getLogger("io.aard");

  private static final LogRecordContext.Extension TRACE_ID = () -> current(SpanContext::getTraceId);
  private static final LogRecordContext.Extension SPAN_ID = () -> current(SpanContext::getSpanId);

  private static final TraceIdsInMessages HANDLER = new TraceIdsInMessages();

  /** Right after the start-up check, so that everything AARD logs afterwards is linked. */
  void install(@Observes @Priority(2) @Initialized(ApplicationScoped.class) Object ignored) {
    AARD.addHandler(HANDLER);
    LogRecordContext.registerExtension(TRACE_ID_KEY, TRACE_ID);
    LogRecordContext.registerExtension(SPAN_ID_KEY, SPAN_ID);
  }

  /** Leaves nothing of the application behind in the server's logging on undeploy. */
  void uninstall(@Observes @BeforeDestroyed(ApplicationScoped.class) Object ignored) {
    LogRecordContext.unregisterExtension(TRACE_ID_KEY);
    LogRecordContext.unregisterExtension(SPAN_ID_KEY);
    AARD.removeHandler(HANDLER);
  }

  /** An id of the span current on the logging thread, or {@code null}: no field then. */
  private static String current(Function<SpanContext, String> id) {
    SpanContext span = Span.current().getSpanContext();
    return span.isValid() ? id.apply(span) : null;
  }
}
