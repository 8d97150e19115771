package io.aard.tracequery;

import io.aard.tracequery.TraceViews.Span;
import io.aard.tracequery.TraceViews.StatsSummary;
import io.aard.tracequery.TraceViews.TraceList;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Reads {@code execution_traces}: the read side's one entry point, which hands each question to the
 * class that answers it. {@link TraceSearch} lists traces (and states their order and the cursor's
 * guarantees), {@link TraceRows} reads a trace's spans, {@link TraceStatistics} computes span
 * statistics; their statements are {@link TraceSql}, run as {@link TraceTransactions} says.
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

  /**
   * Builds the readers once the resources are injected, which happens after construction. Runs at
   * start-up ({@link #start}), so that a missing read pool is reported then, not at the first read.
   */
  @PostConstruct
  void connect() {
    DataSource dataSource = readPool();
    search = new TraceSearch(dataSource);
    rows = new TraceRows(dataSource);
    statistics = new TraceStatistics(dataSource, executor);
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

  /** Every span of a trace, ordered by start; empty when the trace is unknown. */
  List<Span> spans(String traceId) {
    return rows.spans(traceId);
  }

  /** Span statistics over the filter's window, overall and per {@code groupBy} value. */
  StatsSummary stats(TraceParams.Stats request) {
    return statistics.summary(request);
  }
}
