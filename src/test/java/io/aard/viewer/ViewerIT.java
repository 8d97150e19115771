package io.aard.viewer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.aard.testing.Api;
import io.aard.testing.Api.Reply;
import io.aard.testing.Deployments;
import io.aard.testing.GeneratedTraces;
import io.aard.testing.SpanTable;
import io.aard.testing.SpanTable.Row;
import jakarta.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.logging.Logger;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web viewer in headless Chromium against a real server with real traces: a search and its
 * links, a failing plan's trace with its exception, a model call's tokens, the statistics, a
 * 5,000-span trace within its time budget, and the messages for what is not there — each on a wide
 * and a phone-sized window, with screenshots under {@code target/screenshots/}.
 */
@ExtendWith(ArquillianExtension.class)
class ViewerIT {

  /** The budget of opening a 5,000-span trace, from the parsed response to the first paint. */
  private static final double RENDER_BUDGET_MS = 1_000;

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final String SPANS_OF_TRACE =
      "SELECT * FROM execution_traces WHERE trace_id = ? ORDER BY start_time";
  private static final Logger LOG = Logger.getLogger(ViewerIT.class.getName());

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final Api api = new Api();
  private final String base =
      "http://127.0.0.1:" + System.getProperty("aard.it.http.port", "9180") + "/";

  @BeforeEach
  void needsChromiumAndTheBuiltinPlanner() {
    // -Dit.test=ViewerIT also selects this class for the Ollama server's run, which has no model.
    assumeTrue(
        "builtin".equals(System.getProperty("arquillian.launch", "builtin")),
        "browser tests run against the builtin-planner test server only");
    // Skipped without a browser on a developer's machine, a failure in CI.
    Chromium.assumeInstalled();
  }

  @Test
  void searchIsALinkAndItsTaskAndPlanLinksSearchByThem() throws Exception {
    Work work = run("Calculate 6 * 7, then write a one-line summary of the result.", "COMPLETED");
    try (Chromium browser = new Chromium(base)) {
      browser.open("#/search?task_id=" + work.taskId());
      List<WebElement> rows = browser.exactly("#traces tbody tr", 3);
      assertEquals(work.taskId(), browser.visible("input[name=task_id]").getAttribute("value"));
      assertTrue(browser.visible("details.more-filters").getAttribute("open") != null);
      for (WebElement row : rows) {
        String task = row.findElement(By.cssSelector("a.task_id")).getAttribute("title");
        assertTrue(task.contains(work.taskId()), row.getText());
      }
      WebElement execute = row(browser, work.executeTrace());
      assertTrue(
          execute.getText().contains("POST /api/plans/{plan_id}/execute"), execute.getText());
      assertTrue(execute.findElement(By.cssSelector(".dbar .fill")).isDisplayed());
      browser.screenshot("search-wide");

      execute.findElement(By.cssSelector("a.plan_id")).click();
      browser.await(d -> browser.hash().equals("#/search?plan_id=" + work.planId()));
      rows = browser.exactly("#traces tbody tr", 2);
      assertEquals(work.planId(), browser.visible("input[name=plan_id]").getAttribute("value"));

      new Select(browser.visible("select[name=status]")).selectByValue("ERROR");
      browser.visible("#search-form button[type=submit]").click();
      browser.visible("#no-results");
      assertTrue(browser.hash().contains("status=ERROR"), browser.hash());
      assertTrue(browser.hash().contains("plan_id=" + work.planId()), browser.hash());

      browser.open("#/search?task_id=" + work.taskId() + "&limit=1");
      browser.exactly("#traces tbody tr", 1);
      browser.visible("#more").click();
      browser.exactly("#traces tbody tr", 2);
      browser.visible("#more").click();
      browser.exactly("#traces tbody tr", 3);
      browser.await(d -> browser.all(".results .more[hidden]").size() == 1);

      browser.size(Chromium.NARROW);
      browser.open("#/search?task_id=" + work.taskId());
      browser.exactly("#traces tbody tr", 3);
      assertTrue(browser.fitsWidth(), "the search page fits a phone's width");
      browser.screenshot("search-narrow");
    }
  }

  @Test
  void failingStepIsRedAndItsExceptionReadable() throws Exception {
    Work work = run("Calculate 1 / 0", "FAILED");
    List<Row> spans = settled(work.executeTrace());
    String failing =
        spans.stream()
            .filter(r -> "ERROR".equals(r.get("status")))
            .findFirst()
            .orElseThrow()
            .get("span_id");
    // The server span, its database statements and the step: every span is a row.
    int all = spans.size();
    String root = spans.get(0).get("span_id");
    long underRoot = spans.stream().filter(r -> root.equals(r.get("parent_span_id"))).count();
    try (Chromium browser = new Chromium(base)) {
      browser.open("#/search?plan_id=" + work.planId() + "&status=ERROR");
      List<WebElement> rows = browser.exactly("#traces tbody tr", 1);
      assertTrue(rows.get(0).getAttribute("class").contains("error"));
      rows.get(0).findElement(By.cssSelector("a.trace-link")).click();

      browser.visible("#trace.rendered");
      assertTrue(browser.hash().startsWith("#/trace/" + work.executeTrace()), browser.hash());
      browser.exactly(".wf .r", all);
      browser.visible(".wf .r[data-i='0'] [data-toggle]").click();
      browser.exactly(".wf .r", 1);
      assertEquals("+" + (all - 1), browser.visible(".wf .r[data-i='0'] .c.eb").getText());
      browser.visible(".wf .r[data-i='0'] [data-toggle]").click();
      browser.exactly(".wf .r", all);
      browser.visible("#collapse-all").click();
      browser.exactly(".wf .r", 1 + (int) underRoot);
      browser.visible("#expand-all").click();

      WebElement error = browser.visible(".wf .r.err");
      assertEquals(failing, error.getAttribute("data-span"));
      assertTrue(error.getAttribute("class").contains("crit"), "a failing last step is critical");
      error.click();
      browser.await(d -> browser.hash().endsWith("span=" + failing));
      WebElement details = browser.visible("#span-details");
      assertTrue(details.getText().contains("execution.execute_step"));
      assertTrue(
          browser.visible("#span-details .status-message").getText().contains("division by zero"));
      assertFalse(browser.visible("#span-details .exception-type").getText().isBlank());
      assertTrue(
          browser
              .visible("#span-details .exception-message")
              .getText()
              .contains("division by zero"));
      assertTrue(
          browser.visible("#span-details .stacktrace pre").getText().contains("at io.aard."),
          "the stack trace is shown");
      browser.screenshot("trace-error-wide");

      browser.size(Chromium.NARROW);
      browser.open("#/trace/" + work.executeTrace() + "?span=" + failing);
      browser.visible("#trace.rendered");
      browser.visible("#span-details .exception-message");
      assertTrue(browser.fitsWidth(), "the trace page fits a phone's width");
      browser.screenshot("trace-error-narrow");
      browser.script("document.getElementById('span-details').scrollIntoView();");
      browser.screenshot("trace-error-details-narrow");
    }
  }

  @Test
  void modelCallShowsItsModelAndTokensFirst() throws Exception {
    Work work = run("Calculate 6 * 7, then write a one-line summary of the result.", "COMPLETED");
    try (Chromium browser = new Chromium(base)) {
      browser.open("#/trace/" + work.planTrace());
      browser.visible("#trace.rendered");
      WebElement model =
          browser.await(
              d ->
                  browser.all(".wf .r").stream()
                      .filter(r -> r.getText().contains("builtin.generate"))
                      .findFirst()
                      .orElse(null));
      model.click();
      WebElement llm = browser.visible("#span-details #llm");
      assertTrue(llm.getText().contains("builtin"), llm.getText());
      assertTrue(browser.visible("#llm .in").getText().matches("[0-9,]+"), llm.getText());
      assertTrue(browser.visible("#llm .out").getText().matches("[0-9,]+"), llm.getText());
      browser.screenshot("trace-llm-wide");
    }
  }

  @Test
  void statisticsShowLatencyPerGroupOverAWindow() throws Exception {
    run("Calculate 6 * 7, then write a one-line summary of the result.", "COMPLETED");
    try (Chromium browser = new Chromium(base)) {
      browser.open("#/stats");
      WebElement step = browser.visible("#stats-table tbody tr[data-key='execution.execute_step']");
      assertTrue(step.getText().contains("execution.execute_step"));
      assertFalse(browser.all("#latency-chart svg g.group rect.p50").isEmpty(), "latency bars");
      assertFalse(browser.visible("#stat-cards").getText().isBlank());
      browser.screenshot("stats-wide");

      new Select(browser.visible("#group-by")).selectByValue("tool_id");
      browser.await(d -> browser.hash().contains("group_by=tool_id"));
      browser.await(d -> browser.visible("#stats-table").getText().contains("calculator"));

      new Select(browser.visible("#window")).selectByValue("1h");
      browser.await(d -> browser.hash().contains("window=1h"));
      browser.await(d -> browser.visible("#stats-table").getText().contains("calculator"));

      browser.size(Chromium.NARROW);
      browser.open("#/stats?group_by=operation_name&window=1h");
      browser.visible("#latency-chart svg");
      assertTrue(browser.fitsWidth(), "the statistics page fits a phone's width");
      browser.screenshot("stats-narrow");
    }
  }

  @Test
  void fiveThousandSpanTraceOpensWithinBudgetAndScrolls() throws Exception {
    BigTrace big = new BigTrace();
    String traceId = big.write();
    try (Chromium browser = new Chromium(base)) {
      for (var size : List.of(Chromium.WIDE, Chromium.NARROW)) {
        browser.size(size);
        browser.open("#/trace/" + traceId);
        WebElement trace = browser.await(d -> rendered(d), DEADLINE);
        double paint = Double.parseDouble(trace.getAttribute("data-paint-ms"));
        double total = Double.parseDouble(trace.getAttribute("data-total-ms"));
        LOG.info(
            () ->
                String.format(
                    "5,000-span trace at %dx%d: rendered and painted in %.1f ms"
                        + " (%.1f ms with the request)",
                    size.width, size.height, paint, total));
        assertEquals(String.valueOf(BigTrace.SPANS), trace.getAttribute("data-spans"));
        assertTrue(
            paint < RENDER_BUDGET_MS,
            "rendering took " + paint + " ms, over the budget of " + RENDER_BUDGET_MS + " ms");
        int inDom = browser.all(".wf .r").size();
        assertTrue(inDom > 10 && inDom < 150, inDom + " rows in the DOM: not virtualised");

        List<Double> frames = scrollToEnd(browser);
        assertFalse(frames.isEmpty(), "no frame was measured while scrolling");
        double median = percentile(frames, 50);
        LOG.info(
            () ->
                String.format(
                    "scrolling 5,000 rows: %d frames, median %.1f ms, p95 %.1f ms",
                    frames.size(), median, percentile(frames, 95)));
        assertTrue(median < 50, "scrolling frames take " + median + " ms (median)");
        browser.visible(".wf .r[data-span='" + big.lastSpan + "']");
        assertTrue(browser.all(".wf .r").size() < 150, "still virtualised after scrolling");
        browser.screenshot("trace-5000-" + (size == Chromium.WIDE ? "wide-end" : "narrow-end"));

        browser.script("document.querySelector('.wf').scrollTop = 0;");
        browser.visible("#first-error").click();
        browser.await(d -> browser.hash().endsWith("span=" + big.failingStep));
        browser.visible("#span-details .exception-message");
        browser.visible("#zoom-span").click();
        browser.visible("#zoom-reset");
        String bar = browser.visible(".wf .r.sel .b").getAttribute("style").replaceAll("\\s", "");
        assertTrue(
            bar.matches(".*left:0(\\.0+)?%;width:100(\\.0+)?%.*"), "zoomed to the span: " + bar);
        browser.script("document.querySelector('.wf').scrollIntoView();");
        browser.screenshot("trace-5000-" + (size == Chromium.WIDE ? "wide" : "narrow"));
        assertTrue(browser.fitsWidth(), "the 5,000-span trace fits the window's width");
      }
    }
  }

  @Test
  void aTraceCutAtTheReadBoundRendersAndSaysHowMuchIsShown() throws Exception {
    int max = Integer.getInteger("aard.it.trace.read.max.spans", 10_000);
    String service = "it-viewer-cut";
    GeneratedTraces.reset(service);
    String traceId = GeneratedTraces.wide(service, max + 500);
    try (Chromium browser = new Chromium(base)) {
      browser.open("#/trace/" + traceId);
      WebElement trace = browser.await(d -> rendered(d), DEADLINE);
      assertEquals(String.valueOf(max), trace.getAttribute("data-spans"));
      String marker = browser.visible("#truncated").getText();
      String expected = String.format(Locale.US, "Showing %,d of %,d spans", max, max + 500);
      assertTrue(marker.contains(expected), marker);
      String rest = browser.visible("#truncated a").getAttribute("href");
      assertTrue(rest.contains("/api/traces/" + traceId + "/spans?cursor="), rest);
      browser.screenshot("trace-cut");
    }
  }

  @Test
  void unknownTraceEmptySearchAndRejectedFilterAreExplained() throws Exception {
    try (Chromium browser = new Chromium(base)) {
      String unknown = UUID.randomUUID().toString().replace("-", "");
      browser.open("#/trace/" + unknown);
      assertTrue(browser.visible("#not-found").getText().contains("No such trace"));
      assertTrue(browser.visible("#not-found").getText().contains(unknown));
      browser.screenshot("trace-unknown");

      browser.open("#/search?task_id=" + UUID.randomUUID());
      assertTrue(browser.visible("#no-results").getText().contains("No traces found"));
      browser.screenshot("search-empty");

      browser.open("#/search?min_duration_ms=soon");
      WebElement error = browser.visible(".results .message.error");
      assertEquals("400", error.getAttribute("data-status"));
      Reply direct = api.get("/api/traces/?min_duration_ms=soon");
      assertTrue(
          error.getText().contains(direct.json().getString("error")),
          "the API's error text is shown: " + error.getText());
      assertTrue(error.getText().contains("min_duration_ms"), error.getText());
      browser.screenshot("search-rejected");
    }
  }

  /** A task planned and executed, with the ids of its work and of its traces. */
  private record Work(String taskId, String planId, String planTrace, String executeTrace) {}

  /** Creates, plans and executes a task; returns once the traces' root spans are stored. */
  private Work run(String description, String planStatus) throws Exception {
    Reply created =
        api.post("/api/tasks", Json.createObjectBuilder().add("description", description).build());
    assertEquals(201, created.status(), created.body());
    String taskId = created.json().getString("id");
    Reply planned = api.post("/api/tasks/" + taskId + "/plan");
    assertEquals(201, planned.status(), planned.body());
    String planId = planned.json().getString("id");
    Reply executed = api.post("/api/plans/" + planId + "/execute");
    assertEquals(planStatus, executed.json().getString("status"), executed.body());
    List<String> traces = new ArrayList<>();
    for (Reply reply : List.of(created, planned, executed)) {
      String traceId = reply.header("traceparent").substring(3, 35);
      SpanTable.await(SPANS_OF_TRACE, traceId, ViewerIT::hasRoot, DEADLINE);
      traces.add(traceId);
    }
    return new Work(taskId, planId, traces.get(1), traces.get(2));
  }

  /**
   * The trace's stored spans once two reads half a second apart agree: the writer threads may store
   * a trace's batches in any order, so the root being there does not mean every span is.
   */
  private static List<Row> settled(String traceId) {
    List<List<Row>> last = new ArrayList<>(List.of(List.of()));
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              List<Row> now = SpanTable.query(SPANS_OF_TRACE, traceId);
              boolean same = !now.isEmpty() && now.size() == last.get(0).size();
              last.set(0, now);
              return same;
            });
    return last.get(0);
  }

  private static boolean hasRoot(List<Row> rows) {
    return rows.stream().anyMatch(r -> r.get("parent_span_id") == null);
  }

  private static WebElement row(Chromium browser, String traceId) {
    return browser.visible("#traces tr[data-trace-id='" + traceId + "']");
  }

  private static WebElement rendered(WebDriver driver) {
    List<WebElement> found = driver.findElements(By.cssSelector("#trace.rendered"));
    return found.isEmpty() ? null : found.get(0);
  }

  /** Scrolls the waterfall to its end, a step per animation frame; returns each frame's time. */
  @SuppressWarnings("unchecked")
  private static List<Double> scrollToEnd(Chromium browser) {
    List<Object> times =
        (List<Object>)
            ((JavascriptExecutor) browser.driver())
                .executeAsyncScript(
                    "const done = arguments[arguments.length - 1];"
                        + "const wf = document.querySelector('.wf');"
                        + "const step = Math.max(400, (wf.scrollHeight - wf.clientHeight) / 120);"
                        + "const times = []; let last = performance.now();"
                        + "const frame = (now) => {"
                        + "  times.push(now - last); last = now;"
                        + "  if (wf.scrollTop + wf.clientHeight >= wf.scrollHeight - 1) {"
                        + "    done(times.slice(1)); return; }"
                        + "  wf.scrollTop += step; requestAnimationFrame(frame); };"
                        + "requestAnimationFrame(frame);");
    return times.stream().map(t -> ((Number) t).doubleValue()).toList();
  }

  private static double percentile(List<Double> values, int p) {
    List<Double> sorted = values.stream().sorted().toList();
    if (sorted.isEmpty()) {
      return 0;
    }
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }
}
