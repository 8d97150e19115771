package io.aard.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.inject.spi.CDI;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Database CLIENT spans, one per statement (or batch) of the platform's work, after OpenTelemetry's
 * database conventions. A span starts only under a sampled current span and outside {@link
 * #untraced()}: a statement of a background job (heartbeats, partition maintenance, start-up) never
 * becomes the root of a trace, and the span exporter's own writes never feed the exporter.
 */
public final class DatabaseSpans {

  static final AttributeKey<String> SYSTEM_NAME = AttributeKey.stringKey("db.system.name");
  static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("db.namespace");
  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("db.operation.name");
  static final AttributeKey<String> COLLECTION = AttributeKey.stringKey("db.collection.name");
  static final AttributeKey<String> QUERY_TEXT = AttributeKey.stringKey("db.query.text");
  static final AttributeKey<Long> BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  static final AttributeKey<String> EXCEPTION_TYPE = AttributeKey.stringKey("exception.type");
  static final AttributeKey<String> EXCEPTION_MESSAGE = AttributeKey.stringKey("exception.message");

  /** The instrumentation scope of database spans. */
  static final String SCOPE = "io.aard.database";

  private static final Logger LOG = Logger.getLogger(DatabaseSpans.class.getName());
  private static final ContextKey<Boolean> UNTRACED = ContextKey.named("aard.db.untraced");

  /**
   * Parsed statements by text. EclipseLink sends the same few hundred texts over and over; the cap
   * keeps texts with inline literals (each one different) from growing it without bound.
   */
  private static final int CACHE_LIMIT = 2_000;

  private static final Map<String, SqlStatement> PARSED = new ConcurrentHashMap<>();

  private static volatile Tracer tracer;

  private DatabaseSpans() {}

  /**
   * Makes the statements run until the scope closes untraced, whatever span is current: the
   * observer's own work (the span exporter's inserts) must never become spans.
   */
  public static Scope untraced() {
    return Context.current().with(UNTRACED, Boolean.TRUE).makeCurrent();
  }

  /** Whether a statement run now gets a span: under a sampled span and not untraced. */
  static boolean wanted(Context context) {
    if (context.get(UNTRACED) != null) {
      return false;
    }
    SpanContext parent = Span.fromContext(context).getSpanContext();
    return parent.isValid() && parent.isSampled();
  }

  /**
   * Starts the span of a statement about to run, or returns {@code null} when none is wanted.
   *
   * @param sql the statement as sent to the driver ({@code ?} for bound parameters)
   * @param batchSize the statements in the batch, 1 for a single one
   */
  static Span start(String sql, int batchSize, DatabaseEndpoint endpoint) {
    Context context = Context.current();
    if (!wanted(context)) {
      return null;
    }
    Tracer current = tracer();
    if (current == null) {
      return null;
    }
    SqlStatement statement = parse(sql);
    String operation = statement.operation();
    if (batchSize > 1) {
      // The conventions' name for a batch of one kind of statement.
      operation = operation == null ? "BATCH" : "BATCH " + operation;
    }
    SqlStatement named = new SqlStatement(statement.text(), operation, statement.collection());
    SpanBuilder builder =
        current
            .spanBuilder(named.spanName(endpoint.namespace()))
            .setSpanKind(SpanKind.CLIENT)
            .setParent(context)
            .setAttribute(SYSTEM_NAME, "postgresql")
            .setAttribute(QUERY_TEXT, statement.text());
    if (endpoint.namespace() != null) {
      builder.setAttribute(NAMESPACE, endpoint.namespace());
    }
    if (operation != null) {
      builder.setAttribute(OPERATION, operation);
    }
    if (statement.collection() != null) {
      builder.setAttribute(COLLECTION, statement.collection());
    }
    if (batchSize > 1) {
      builder.setAttribute(BATCH_SIZE, (long) batchSize);
    }
    if (endpoint.address() != null) {
      builder.setAttribute(SERVER_ADDRESS, endpoint.address());
    }
    if (endpoint.port() > 0) {
      builder.setAttribute(SERVER_PORT, (long) endpoint.port());
    }
    return builder.startSpan();
  }

  /**
   * Ends a statement's span; a failure makes it ERROR with the SQLSTATE as {@code error.type}. The
   * exception event names the SQLSTATE but not the driver's message, which may quote the values of
   * the row (a duplicate key's, an invalid input's).
   */
  static void end(Span span, Throwable failure) {
    if (span == null) {
      return;
    }
    if (failure != null) {
      String sqlState = failure instanceof SQLException e ? e.getSQLState() : null;
      String type = sqlState != null ? sqlState : failure.getClass().getName();
      span.setStatus(StatusCode.ERROR);
      span.setAttribute(ERROR_TYPE, type);
      span.addEvent(
          "exception",
          Attributes.of(
              EXCEPTION_TYPE,
              failure.getClass().getName(),
              EXCEPTION_MESSAGE,
              sqlState != null ? "SQLSTATE " + sqlState : "the statement failed"));
    }
    span.end();
  }

  static SqlStatement parse(String sql) {
    String key = sql == null ? "" : sql;
    SqlStatement statement = PARSED.get(key);
    if (statement == null) {
      statement = SqlStatement.parse(key);
      if (PARSED.size() < CACHE_LIMIT) {
        PARSED.put(key, statement);
      }
    }
    return statement;
  }

  /**
   * The application's tracer. EclipseLink, not CDI, creates the objects that call this, so it is
   * looked up once, on the first statement under a span: that runs on an application thread, where
   * CDI is reachable.
   */
  private static Tracer tracer() {
    Tracer current = tracer;
    if (current == null) {
      try {
        current = CDI.current().select(OpenTelemetry.class).get().getTracer(SCOPE);
        tracer = current;
      } catch (RuntimeException e) {
        LOG.log(Level.FINE, "No OpenTelemetry instance for database spans yet", e);
        return null;
      }
    }
    return current;
  }

  /** Uses {@code openTelemetry}'s tracer from now on: for tests outside a container. */
  static void useTracer(Tracer tracer) {
    DatabaseSpans.tracer = tracer;
  }
}
