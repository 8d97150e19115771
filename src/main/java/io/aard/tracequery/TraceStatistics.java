package io.aard.tracequery;

import io.aard.tracequery.TraceViews.DurationStats;
import io.aard.tracequery.TraceViews.GenAiUsage;
import io.aard.tracequery.TraceViews.StatsGroup;
import io.aard.tracequery.TraceViews.StatsSummary;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Span statistics over a window: counts, error rate, duration percentiles, tokens and cost, overall
 * and per {@link GroupBy} value. Groups are ordered by span count descending, then by key with the
 * {@code null} key last, so that equal requests over equal data answer in the same order.
 */
final class TraceStatistics {

  private static final Logger LOG = Logger.getLogger(TraceStatistics.class.getName());

  /** How often the members of a failed request are cancelled again while they still run. */
  private static final long CANCEL_AGAIN_MILLIS = 100;

  /**
   * How long a failed request waits for its other statements to stop; past it they are left to end
   * on their own (at the latest at the statement timeout) rather than hold up the answer.
   */
  private static final long STOP_WAIT_MILLIS = 5_000;

  private final DataSource dataSource;

  /**
   * Runs the overall percentiles and trace count beside the grouped statement (the server's managed
   * executor); {@code null} (outside a server) runs them first, on the calling thread.
   */
  private final Executor executor;

  TraceStatistics(DataSource dataSource, Executor executor) {
    this.dataSource = dataSource;
    this.executor = executor;
  }

  /**
   * Span statistics over the filter's window, overall and per {@code groupBy} value. Three
   * statements read the window: the groups ({@link TraceSql#stats}), the overall percentiles (one
   * sort of every duration) and the trace count; the last two run meanwhile on connections (and
   * cores) of their own. They are one {@link StatementGroup}: when one fails (the statement timeout
   * included), the others are cancelled in PostgreSQL, and the request answers only once all three
   * have stopped, so that its {@link ReadGate} permit covers every connection it holds.
   */
  StatsSummary summary(TraceParams.Stats request) {
    StatementGroup group = new StatementGroup();
    CompletableFuture<Double[]> percentiles =
        async(
            group,
            () ->
                query(
                    group,
                    TraceSql.overallPercentiles(request),
                    rs -> TraceRows.percentiles(rs.getArray(1))));
    CompletableFuture<Long> traces =
        async(group, () -> query(group, TraceSql.traceCount(request), rs -> rs.getLong(1)));
    StatsSummary stats = null;
    try (Connection c = dataSource.getConnection()) {
      stats =
          TraceTransactions.inTransaction(
              c, true, () -> groups(c, group, request.filter(), TraceSql.stats(request)));
    } catch (SQLException e) {
      failed(group, e);
    } catch (RuntimeException e) {
      group.fail(e);
    }
    awaitEnd(group, CompletableFuture.allOf(percentiles, traces));
    if (group.failed()) {
      throw group.failure();
    }
    return stats.withOverall(percentiles.join(), traces.join());
  }

  /**
   * Runs {@code work} on the executor, or here when there is none (outside a server); its failure
   * fails the group.
   */
  private <T> CompletableFuture<T> async(StatementGroup group, Supplier<T> work) {
    CompletableFuture<T> future;
    if (executor == null) {
      try {
        future = CompletableFuture.completedFuture(work.get());
      } catch (RuntimeException e) {
        future = CompletableFuture.failedFuture(e);
      }
    } else {
      future = CompletableFuture.supplyAsync(work, executor);
    }
    return future.whenComplete(
        (result, failure) -> {
          if (failure != null) {
            group.fail(unwrap(failure));
          }
        });
  }

  /** The failure of a member's work as it threw it, not as the future wrapped it. */
  private static RuntimeException unwrap(Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    return cause instanceof RuntimeException r
        ? r
        : new IllegalStateException("computing trace statistics failed", cause);
  }

  /**
   * Waits until {@code members} have ended. Once the group has failed it cancels them again while
   * they run (a cancel that reached a statement not yet sent is lost), for at most {@link
   * #STOP_WAIT_MILLIS}.
   */
  private static void awaitEnd(StatementGroup group, CompletableFuture<Void> members) {
    long stopBy = 0;
    while (true) {
      try {
        members.get(CANCEL_AGAIN_MILLIS, TimeUnit.MILLISECONDS);
        return;
      } catch (ExecutionException e) {
        return; // the member's failure is the group's
      } catch (TimeoutException e) {
        if (!group.failed()) {
          continue;
        }
        long now = System.nanoTime();
        if (stopBy == 0) {
          stopBy = now + TimeUnit.MILLISECONDS.toNanos(STOP_WAIT_MILLIS);
        } else if (now - stopBy > 0) {
          LOG.fine("Trace statistics statements still run after a failure; not waiting longer");
          return;
        }
        group.cancel();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        group.fail(new IllegalStateException("interrupted while computing trace statistics", e));
        return;
      }
    }
  }

  /** Records a failed statement of the group; only the first failure is reported and logged. */
  private static void failed(StatementGroup group, SQLException e) {
    if (group.failed()) {
      group.cancel(); // a member stopped by the group's first failure
      return;
    }
    group.fail(TraceTransactions.failure("computing trace statistics", e));
  }

  /** The one row of an aggregate statement, read in a transaction of its own. */
  private <T> T query(StatementGroup group, TraceSql sql, RowReader<T> reader) {
    try (Connection c = dataSource.getConnection()) {
      return TraceTransactions.inTransaction(
          c,
          true,
          () -> {
            try (PreparedStatement ps = sql.prepare(c);
                ResultSet rs = group.executeQuery(ps)) {
              rs.next();
              return reader.read(rs);
            }
          });
    } catch (SQLException e) {
      if (group.failed()) {
        throw group.failure(); // stopped by the group's first failure
      }
      throw TraceTransactions.failure("computing trace statistics", e);
    }
  }

  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /**
   * The rows of {@link TraceSql#stats}: the groups, and the overall row whose percentiles are left
   * for {@link StatsSummary#withOverall} to fill in (as is its trace count).
   */
  private static StatsSummary groups(
      Connection c, StatementGroup group, TraceFilter f, TraceSql sql) throws SQLException {
    long spanCount = 0;
    long errorCount = 0;
    DurationStats durations = new DurationStats(null, null, null, null, null);
    GenAiUsage tokens = new GenAiUsage(0, 0);
    BigDecimal cost = null;
    List<StatsGroup> groups = new ArrayList<>();
    try (PreparedStatement ps = sql.prepare(c);
        ResultSet rs = group.executeQuery(ps)) {
      while (rs.next()) {
        long count = rs.getLong("span_count");
        int kind = rs.getInt("kind");
        long errors = rs.getLong("error_count");
        Double[] p = TraceRows.percentiles(rs.getArray("percentiles"));
        DurationStats d =
            new DurationStats(
                TraceRows.nullableDouble(rs, "avg_ms"),
                p[0],
                p[1],
                p[2],
                TraceRows.nullableDouble(rs, "max_ms"));
        GenAiUsage g = new GenAiUsage(rs.getLong("input_tokens"), rs.getLong("output_tokens"));
        BigDecimal groupCost = TraceRows.money(rs, "cost_usd");
        if (kind == 1) {
          spanCount = count;
          errorCount = errors;
          durations = d;
          tokens = g;
          cost = groupCost;
        } else {
          groups.add(
              new StatsGroup(
                  rs.getString("key"), count, errors, rate(errors, count), d, g, groupCost));
        }
      }
    }
    groups.sort(
        Comparator.comparingLong(StatsGroup::spanCount)
            .reversed()
            .thenComparing(StatsGroup::key, Comparator.nullsLast(Comparator.naturalOrder())));
    return new StatsSummary(
        f.from(),
        f.to(),
        spanCount,
        0,
        errorCount,
        rate(errorCount, spanCount),
        durations,
        tokens,
        cost,
        List.copyOf(groups));
  }

  private static double rate(long errors, long count) {
    return count == 0 ? 0.0 : (double) errors / count;
  }
}
