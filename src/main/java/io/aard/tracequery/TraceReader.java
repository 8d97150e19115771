package io.aard.tracequery;

import io.aard.tracequery.TraceViews.SessionDetail;
import io.aard.tracequery.TraceViews.SessionList;
import io.aard.tracequery.TraceViews.Span;
import io.aard.tracequery.TraceViews.StatsSummary;
import io.aard.tracequery.TraceViews.TraceList;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads {@code execution_traces}: the read side's one entry point, which hands each question to the
 * class that answers it. {@link TraceSearch} lists traces (and states their order and the cursor's
 * guarantees), {@link TraceRows} reads a trace's spans, {@link TraceStatistics} computes span
 * statistics, {@link SessionSearch} lists and reads sessions; their statements are {@link
 * TraceSql}, run as {@link TraceTransactions} says.
 *
 * <p>A statement that runs past the statement timeout fails with a 503 that says so; any other SQL
 * failure is left for {@code ErrorMapper} to classify.
 */
@ApplicationScoped
public class TraceReader {

  @Resource(lookup = "jdbc/aard")
  DataSource dataSource;

  /**
   * Runs the statistics' overall percentiles and trace count beside the grouped statement; {@code
   * null} (outside a server) runs them first, on the calling thread.
   */
  @Resource ManagedExecutorService executor;

  private TraceSearch search;
  private TraceRows rows;
  private TraceStatistics statistics;
  private SessionSearch sessions;

  /** Builds the readers once the resources are injected, which happens after construction. */
  @PostConstruct
  void connect() {
    search = new TraceSearch(dataSource);
    rows = new TraceRows(dataSource);
    statistics = new TraceStatistics(dataSource, executor);
    sessions = new SessionSearch(dataSource);
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

  /** One page of sessions, newest first; see {@link SessionSearch} for the order and the cursor. */
  SessionList sessions(TraceParams.Sessions request) {
    return sessions.page(request);
  }

  /** A session's totals and traces; empty when no stored span carries its id. */
  Optional<SessionDetail> session(String sessionId) {
    return sessions.session(sessionId);
  }
}
