package io.aard.tracequery;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures the trace API's own statements (built by {@link TraceSql} from the same parameters the
 * API parses) with EXPLAIN ANALYZE, beside a plain-SQL statement that answers the same question,
 * and optionally the HTTP latency of the running API. Prints a Markdown table.
 *
 * <p>Usage: {@code TraceQueryBench jdbc-url runs [http-base-url]}. Compiled and run by {@code
 * bench/query-bench.sh} against {@code target/classes}, in the package of the classes it measures.
 */
public final class TraceQueryBench {

  private static final Pattern EXECUTION = Pattern.compile("\"Execution Time\": ([0-9.]+)");
  private static final Pattern PLANNING = Pattern.compile("\"Planning Time\": ([0-9.]+)");

  /** HTTP warm-up per question: this many requests, or this long, whichever ends first. */
  private static final int WARM_UP_REQUESTS =
      Integer.parseInt(System.getenv().getOrDefault("BENCH_HTTP_WARMUP", "2000"));

  private static final Duration WARM_UP = Duration.ofSeconds(20);

  /** One question: the API's statements, the plain-SQL answer, and the API's URL. */
  record Case(
      String name, List<TraceSql> api, TraceSql plain, String path, TraceSearch.Plan plan) {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    int runs = Integer.parseInt(args[1]);
    String http = args.length > 2 ? args[2] : null;
    try (Connection c = DriverManager.getConnection(url)) {
      try (Statement s = c.createStatement()) {
        s.execute("SET jit = off");
        s.execute("SET work_mem = '64MB'");
        s.execute("SET plan_cache_mode = force_custom_plan");
      }
      List<Case> cases = cases(c);
      System.out.printf(
          "%n| question | plan | API SQL p50 ms | API SQL p95 ms | plain SQL p50 ms | plain SQL p95"
              + " ms | HTTP p50 ms | HTTP p95 ms | rows |%n");
      System.out.println("|---|---|---|---|---|---|---|---|---|");
      for (Case k : cases) {
        if (System.getenv("BENCH_EXPLAIN") != null) {
          printPlans(c, k);
        }
        double[] api = new double[runs];
        double[] plain = new double[runs];
        explain(c, k.api());
        explain(c, List.of(k.plain()));
        for (int i = 0; i < runs; i++) {
          api[i] = explain(c, k.api());
          plain[i] = explain(c, List.of(k.plain()));
        }
        double[] web = http == null ? null : http(http + k.path(), runs);
        System.out.printf(
            "| %s | %s | %.2f | %.2f | %.2f | %.2f | %s | %s | %d |%n",
            k.name(),
            k.plan() == null ? "-" : k.plan(),
            pct(api, 50),
            pct(api, 95),
            pct(plain, 50),
            pct(plain, 95),
            web == null ? "-" : String.format("%.2f", pct(web, 50)),
            web == null ? "-" : String.format("%.2f", pct(web, 95)),
            rows(
                c,
                k.api().stream().filter(q -> !q.text().startsWith("EXPLAIN")).findFirst().get()));
      }
    }
  }

  private static List<Case> cases(Connection c) throws SQLException {
    Instant now = Clock.systemUTC().instant();
    String plan =
        one(
            c,
            "SELECT plan_id::text FROM execution_traces WHERE parent_span_id IS NULL"
                + " AND plan_id IS NOT NULL AND start_time > now() - interval '2 days'"
                + " ORDER BY start_time DESC LIMIT 1");
    String agent =
        one(
            c,
            "SELECT agent_id::text FROM execution_traces WHERE agent_id IS NOT NULL"
                + " AND start_time > now() - interval '1 day' LIMIT 1");
    String trace =
        one(
            c,
            "SELECT trace_id FROM execution_traces WHERE parent_span_id IS NULL"
                + " AND start_time > now() - interval '3 days' ORDER BY start_time LIMIT 1");
    String weekAgo = now.minus(Duration.ofDays(7)).toString();
    List<Case> cases = new ArrayList<>();
    cases.add(
        list(
            c,
            "list by plan_id",
            Map.of("plan_id", plan),
            plainList("s.plan_id = '" + plan + "'", null)));
    cases.add(
        list(
            c,
            "list by agent_id, status=ERROR, 7 days",
            Map.of("agent_id", agent, "status", "ERROR", "start_time_from", weekAgo),
            plainList(
                "s.agent_id = '" + agent + "' AND s.status = 'ERROR'",
                "r.start_time >= now() - interval '7 days'")));
    cases.add(
        list(
            c,
            "list by attribute",
            Map.of("attribute", "enduser.id=user-42"),
            plainList("s.attributes @> '{\"enduser.id\": \"user-42\"}'", null)));
    cases.add(list(c, "list, no filter", Map.of(), plainList(null, null)));
    // Absent from data loaded before V9 (--skip-load): then the session questions are skipped.
    String session =
        oneOrNull(
            c,
            "SELECT session_id FROM execution_traces WHERE session_id IS NOT NULL"
                + " AND start_time > now() - interval '1 day' LIMIT 1");
    if (session != null) {
      cases.add(
          list(
              c,
              "list by session_id",
              Map.of("session_id", session),
              plainList("s.session_id = '" + session + "'", null)));
      cases.add(
          new Case(
              "session detail (totals)",
              List.of(TraceSql.session(session)),
              new TraceSql()
                  .append(
                      "SELECT count(DISTINCT trace_id), count(*), sum(cost_usd) FROM"
                          + " execution_traces WHERE trace_id IN (SELECT trace_id FROM"
                          + " execution_traces WHERE session_id = ?)",
                      session),
              "/api/sessions/" + session,
              null));
      cases.add(
          new Case(
              "sessions, first page",
              List.of(TraceSql.sessions(null, TraceParams.DEFAULT_LIMIT + 1)),
              new TraceSql()
                  .append(
                      "SELECT session_id, min(start_time) AS first, count(*), sum(cost_usd)"
                          + " FROM execution_traces WHERE session_id IS NOT NULL"
                          + " GROUP BY session_id ORDER BY first DESC LIMIT 50"),
              "/api/sessions",
              null));
    }
    TraceSql spans = TraceSql.spanPage(trace, null, TraceReadSettings.DEFAULT_MAX_SPANS + 1L);
    TraceSql plainSpans =
        new TraceSql()
            .append("SELECT * FROM execution_traces WHERE trace_id = ? ORDER BY start_time", trace);
    cases.add(new Case("trace detail", List.of(spans), plainSpans, "/api/traces/" + trace, null));
    cases.add(
        new Case("spans", List.of(spans), plainSpans, "/api/traces/" + trace + "/spans", null));
    TraceParams.Stats stats =
        TraceParams.stats(Map.of("group_by", List.of("operation_name")), now, Instant.EPOCH);
    TraceSql plainStats =
        new TraceSql()
            .append(
                "SELECT operation_name, count(*), count(*) FILTER (WHERE status = 'ERROR'),"
                    + " avg(duration_ms), percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP"
                    + " (ORDER BY duration_ms), max(duration_ms), sum(input_tokens),"
                    + " sum(output_tokens) FROM execution_traces WHERE start_time >= ?",
                now.minus(Duration.ofHours(24)))
            .append(" GROUP BY operation_name");
    cases.add(
        new Case(
            "stats 24 h by operation",
            List.of(
                TraceSql.stats(stats),
                TraceSql.overallPercentiles(stats),
                TraceSql.traceCount(stats)),
            plainStats,
            "/api/traces/stats/summary?group_by=operation_name",
            null));
    TraceParams.Stats byModel =
        TraceParams.stats(Map.of("group_by", List.of("model")), now, Instant.EPOCH);
    cases.add(
        new Case(
            "stats 24 h by model",
            List.of(
                TraceSql.stats(byModel),
                TraceSql.overallPercentiles(byModel),
                TraceSql.traceCount(byModel)),
            new TraceSql()
                .append(
                    "SELECT model, count(*), sum(input_tokens), sum(output_tokens), sum(cost_usd)"
                        + " FROM execution_traces WHERE start_time >= ?",
                    now.minus(Duration.ofHours(24)))
                .append(" GROUP BY model"),
            "/api/traces/stats/summary?group_by=model",
            null));
    return cases;
  }

  /** The plain answer: matching traces, their first span's start, newest first, 50. */
  private static TraceSql plainList(String spanCondition, String traceCondition) {
    String sql =
        "SELECT r.trace_id, r.start_time, r.operation_name, r.duration_ms,"
            + " (SELECT count(*) FROM execution_traces x WHERE x.trace_id = r.trace_id),"
            + " (SELECT count(*) FROM execution_traces x WHERE x.trace_id = r.trace_id"
            + " AND x.status = 'ERROR')"
            + " FROM execution_traces r WHERE r.parent_span_id IS NULL"
            + (traceCondition == null ? "" : " AND " + traceCondition)
            + (spanCondition == null
                ? ""
                : " AND r.trace_id IN (SELECT s.trace_id FROM execution_traces s WHERE "
                    + spanCondition
                    + ")")
            + " ORDER BY r.start_time DESC LIMIT 50";
    return new TraceSql().append(sql);
  }

  private static Case list(Connection c, String name, Map<String, String> params, TraceSql plain)
      throws SQLException {
    Map<String, List<String>> query = new LinkedHashMap<>();
    params.forEach((k, v) -> query.put(k, List.of(v)));
    TraceParams.Search search = TraceParams.search(query);
    TraceSearch.Plan plan = TraceSearch.choosePlan(c, search.filter());
    StringBuilder path = new StringBuilder("/api/traces/");
    String sep = "?";
    for (var e : params.entrySet()) {
      path.append(sep).append(e.getKey()).append('=');
      path.append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      sep = "&";
    }
    List<TraceSql> api = new ArrayList<>();
    if (TraceSearch.needsEstimate(search.filter())) {
      api.add(TraceSql.matchEstimate(search.filter()));
    }
    api.add(TraceSql.search(search, plan));
    return new Case(name, api, plain, path.toString(), plan);
  }

  /** {@code text} (the statement, explained) with {@code sql}'s values, bound as TraceSql does. */
  private static TraceSql withText(String text, TraceSql sql) {
    TraceSql explained = new TraceSql().append(text);
    explained.values().addAll(sql.values());
    return explained;
  }

  /** Server time (planning + execution) of the statements, in milliseconds. */
  private static double explain(Connection c, List<TraceSql> statements) throws SQLException {
    double total = 0;
    for (TraceSql sql : statements) {
      // The plan choice is itself an EXPLAIN (planning only): its cost is its planning time.
      String text =
          sql.text().startsWith("EXPLAIN (FORMAT JSON) ")
              ? sql.text().replace("EXPLAIN (FORMAT JSON) ", "EXPLAIN (SUMMARY ON, FORMAT JSON) ")
              : "EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + sql.text();
      try (PreparedStatement ps = withText(text, sql).prepare(c)) {
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          String json = rs.getString(1);
          total += number(EXECUTION, json) + number(PLANNING, json);
        }
      }
    }
    return total;
  }

  private static void printPlans(Connection c, Case k) throws SQLException {
    for (TraceSql sql : k.api()) {
      if (sql.text().startsWith("EXPLAIN")) {
        continue;
      }
      try (PreparedStatement ps =
          withText("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql.text(), sql).prepare(c)) {
        System.out.println("--- " + k.name());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            System.out.println(rs.getString(1));
          }
        }
      }
    }
  }

  private static int rows(Connection c, TraceSql sql) throws SQLException {
    try (PreparedStatement ps = sql.prepare(c);
        ResultSet rs = ps.executeQuery()) {
      int n = 0;
      while (rs.next()) {
        n++;
      }
      return n;
    }
  }

  private static double[] http(String url, int runs) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET().build();
    // Warm-up, as a server that has been up for a while is: the JIT compiles a request path after
    // some thousands of calls, and until then a request costs several times more.
    long warmUntil = System.nanoTime() + WARM_UP.toNanos();
    for (int i = 0; i < WARM_UP_REQUESTS && System.nanoTime() < warmUntil; i++) {
      HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
      }
    }
    double[] ms = new double[runs];
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      client.send(request, HttpResponse.BodyHandlers.ofString());
      ms[i] = (System.nanoTime() - start) / 1e6;
    }
    return ms;
  }

  private static double number(Pattern p, String json) {
    Matcher m = p.matcher(json);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  private static double pct(double[] values, int percentile) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static String one(Connection c, String sql) throws SQLException {
    String value = oneOrNull(c, sql);
    if (value == null) {
      throw new IllegalStateException("no data for: " + sql);
    }
    return value;
  }

  private static String oneOrNull(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
