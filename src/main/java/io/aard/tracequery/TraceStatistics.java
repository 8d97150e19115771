package io.aard.tracequery;

import io.aard.tracequery.TraceViews.DurationStats;
import io.aard.tracequery.TraceViews.GenAiUsage;
import io.aard.tracequery.TraceViews.StatsGroup;
import io.aard.tracequery.TraceViews.StatsSummary;
import jakarta.enterprise.concurrent.ManagedExecutorService;
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
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Span statistics over a window: counts, error rate, duration percentiles, tokens and cost, overall
 * and per {@link GroupBy} value. Groups are ordered by span count descending, then by key with the
 * {@code null} key last, so that equal requests over equal data answer in the same order.
 */
final class TraceStatistics {

  private final DataSource dataSource;

  /**
   * Runs the overall percentiles and trace count beside the grouped statement; {@code null}
   * (outside a server) runs them first, on the calling thread.
   */
  private final ManagedExecutorService executor;

  TraceStatistics(DataSource dataSource, ManagedExecutorService executor) {
    this.dataSource = dataSource;
    this.executor = executor;
  }

  /**
   * Span statistics over the filter's window, overall and per {@code groupBy} value. Three
   * statements read the window: the groups ({@link TraceSql#stats}), the overall percentiles (one
   * sort of every duration) and the trace count; the last two run meanwhile on connections (and
   * cores) of their own.
   */
  StatsSummary summary(TraceParams.Stats request) {
    CompletableFuture<Double[]> percentiles =
        async(
            () ->
                query(
                    TraceSql.overallPercentiles(request),
                    rs -> TraceRows.percentiles(rs.getArray(1))));
    CompletableFuture<Long> traces =
        async(() -> query(TraceSql.traceCount(request), rs -> rs.getLong(1)));
    StatsSummary stats;
    try (Connection c = dataSource.getConnection()) {
      stats =
          TraceTransactions.inTransaction(
              c, true, () -> groups(c, request.filter(), TraceSql.stats(request)));
    } catch (SQLException e) {
      percentiles.cancel(true);
      traces.cancel(true);
      throw TraceTransactions.failure("computing trace statistics", e);
    }
    return stats.withOverall(join(percentiles), join(traces));
  }

  /** Runs {@code work} on the managed executor, or here when there is none (outside a server). */
  private <T> CompletableFuture<T> async(Supplier<T> work) {
    return executor == null
        ? CompletableFuture.completedFuture(work.get())
        : executor.supplyAsync(work);
  }

  /** The result of {@code future}, failing as its work failed rather than wrapped. */
  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** The one row of an aggregate statement, read in a transaction of its own. */
  private <T> T query(TraceSql sql, RowReader<T> reader) {
    try (Connection c = dataSource.getConnection()) {
      return TraceTransactions.inTransaction(
          c,
          true,
          () -> {
            try (PreparedStatement ps = sql.prepare(c);
                ResultSet rs = ps.executeQuery()) {
              rs.next();
              return reader.read(rs);
            }
          });
    } catch (SQLException e) {
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
  private static StatsSummary groups(Connection c, TraceFilter f, TraceSql sql)
      throws SQLException {
    long spanCount = 0;
    long errorCount = 0;
    DurationStats durations = new DurationStats(null, null, null, null, null);
    GenAiUsage tokens = new GenAiUsage(0, 0);
    BigDecimal cost = null;
    List<StatsGroup> groups = new ArrayList<>();
    try (PreparedStatement ps = sql.prepare(c);
        ResultSet rs = ps.executeQuery()) {
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
