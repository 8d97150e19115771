package io.aard.tracequery;

import io.aard.Settings;
import io.aard.ingest.SpanPartitions;
import io.aard.tracequery.TraceViews.SessionDetail;
import io.aard.tracequery.TraceViews.SessionList;
import io.aard.tracequery.TraceViews.SpanList;
import io.aard.tracequery.TraceViews.StatsSummary;
import io.aard.tracequery.TraceViews.TraceDetail;
import io.aard.tracequery.TraceViews.TraceList;
import io.aard.tracing.TracingSettings;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Reads {@code execution_traces}: the read side's one entry point, which hands each question to the
 * class that answers it. {@link TraceSearch} lists traces (and states their order and the cursor's
 * guarantees), {@link TraceRows} reads a trace's spans, {@link TraceStatistics} computes span
 * statistics, {@link SessionSearch} lists and reads sessions; their statements are {@link
 * TraceSql}, run as {@link TraceTransactions} says.
 *
 * <p>Every read of a trace is bounded by {@code TRACE_READ_MAX_SPANS} ({@link TraceReadSettings}),
 * and statistics cover only what retention keeps ({@code TRACING_RETENTION_MONTHS}).
 *
 * <p>A statement that runs past the statement timeout fails with a 503 that says so; any other SQL
 * failure is left for {@code ErrorMapper} to classify.
 *
 * <p>Reads run on the trace API's own pool, {@value #READ_POOL}, so that no number of readers can
 * take the connections of {@code jdbc/aard} that task requests, span writers and readiness need;
 * {@link ReadGate} bounds how many run at once. A Liberty without that data source (the WAR
 * deployed to a server configured before it existed) reads from {@code jdbc/aard}, bounded by
 * {@link ReadGate} only, and says so once at start-up.
 */
@ApplicationScoped
public class TraceReader {

  /** The JNDI name of the trace API's own pool. */
  static final String READ_POOL = "jdbc/aardRead";

  private static final Logger LOG = Logger.getLogger(TraceReader.class.getName());

  /** The platform's pool: used only when {@value #READ_POOL} is not configured. */
  @Resource(lookup = "jdbc/aard")
  DataSource platformDataSource;

  /**
   * Runs the statistics' overall percentiles and trace count beside the grouped statement; {@code
   * null} (outside a server) runs them first, on the calling thread.
   */
  @Resource ManagedExecutorService executor;

  private TraceSearch search;
  private TraceRows rows;
  private TraceStatistics statistics;
  private int maxSpans;
  private int retentionMonths;
  private SessionSearch sessions;

  /**
   * Builds the readers once the resources are injected, which happens after construction, and reads
   * the settings (checked at start-up by {@code StartupCheck}). Runs at start-up ({@link #start}),
   * so that a missing read pool is reported then, not at the first read.
   */
  @PostConstruct
  void connect() {
    DataSource dataSource = readPool();
    search = new TraceSearch(dataSource);
    rows = new TraceRows(dataSource);
    statistics = new TraceStatistics(dataSource, executor);
    maxSpans = TraceReadSettings.maxSpans(Settings.lookup());
    retentionMonths = TracingSettings.read(Settings.lookup()).retentionMonths();
    sessions = new SessionSearch(dataSource);
  }

  /** The most spans one read of a trace returns: {@code TRACE_READ_MAX_SPANS}. */
  int maxSpans() {
    return maxSpans;
  }

  /** The start of the oldest span partition that retention keeps, as of {@code now}. */
  Instant oldestKept(Instant now) {
    return SpanPartitions.oldestKept(now, retentionMonths);
  }

  /** Creates the bean, and so connects it, when the application starts. */
  void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
    // Observing is enough: CDI creates the bean to deliver the event.
  }

  /** {@value #READ_POOL}, or the platform's pool with a warning when the server has none. */
  private DataSource readPool() {
    try {
      return InitialContext.doLookup(READ_POOL);
    } catch (NamingException e) {
      LOG.warning(
          "No data source "
              + READ_POOL
              + " is configured: trace reads share jdbc/aard with the platform. Add it as"
              + " server-config/server.xml does (AARD_DB_READ_POOL_SIZE connections), so that"
              + " heavy reads cannot take the platform's connections.");
      return platformDataSource;
    }
  }

  /** One page of a search, newest first; see {@link TraceSearch} for the order and the cursor. */
  TraceList search(TraceParams.Search request) {
    return search.page(request);
  }

  /**
   * A trace as a span tree, cut after its first {@link #maxSpans()} spans (start, then span id)
   * with a marker and the cursor of the rest; empty when the trace is unknown.
   */
  Optional<TraceDetail> trace(String traceId) {
    TraceRows.FirstSpans first = rows.first(traceId, maxSpans);
    return first.spans().isEmpty()
        ? Optional.empty()
        : Optional.of(TraceTree.detail(first.spans(), first.cut()));
  }

  /** A page of a trace's spans, ordered by start, then span id; see {@link TraceRows#page}. */
  SpanList spans(String traceId, TraceParams.Spans request) {
    return rows.page(traceId, request.after(), request.limit());
  }

  /** Span statistics over the filter's window, overall and per {@code groupBy} value. */
  StatsSummary stats(TraceParams.Stats request) {
    return statistics.summary(request);
  }

  /** One page of sessions, newest first; see {@link SessionSearch} for the order and the cursor. */
  SessionList sessions(TraceParams.Sessions request) {
    return sessions.page(request);
  }

  /** A session's totals and traces; empty when no stored span carries its id. */
  Optional<SessionDetail> session(String sessionId) {
    return sessions.session(sessionId);
  }
}
