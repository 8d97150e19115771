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
import io.aard.testing.OtlpSender;
import io.aard.testing.SpanTable;
import io.aard.testing.SpanTable.Row;
import io.opentelemetry.api.common.Attributes;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
 * links, a failing plan's trace with its exception, a model call's tokens, the cost and tokens of
 * priced model calls in the search, the trace, the call's details and the statistics, a 5,000-span
 * trace within its time budget, a task's page with all its traces, plans and totals, two runs
 * compared, and the messages for what is not there — each on a wide and a phone-sized window, with
 * screenshots under {@code target/screenshots/}.
 */
@ExtendWith(ArquillianExtension.class)
class ViewerIT {

  /** The budget of opening a 5,000-span trace, from the parsed response to the first paint. */
  private static final double RENDER_BUDGET_MS = 1_000;

  private static final Duration DEADLINE = Duration.ofSeconds(30);
  private static final String SPANS_OF_TRACE =
      "SELECT * FROM execution_traces WHERE trace_id = ? ORDER BY start_time";
  private static final Logger LOG = Logger.getLogger(ViewerIT.class.getName());

  /** Three steps that all run: a calculation, another, and a summary by the model. */
  private static final String PASSING =
      "Calculate 6 * 7, then calculate 10 / 4, then write a one-line summary of the results.";

  /** The same three steps, but the second divides by zero: the third never runs. */
  private static final String FAILING =
      "Calculate 6 * 7, then calculate 1 / 0, then write a one-line summary of the results.";

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

  /**
   * Two model calls another service sends by OTLP under one root, priced by the shipped {@code
   * gpt-4o-mini*} price as they are stored: the search row, the trace's header, each call's details
   * and the statistics by model show their tokens and a cost of exactly tokens x price, to the
   * digit (fractions of a cent that a float rounded to cents would show as $0.00).
   */
  @Test
  void costAndTokensShowInTheSearchTheTraceTheModelCallAndTheStatistics() throws Exception {
    String service = "it-viewer-cost-" + UUID.randomUUID();
    String session = "viewer-cost-" + UUID.randomUUID();
    String traceId = OtlpSender.traceId();
    String root = OtlpSender.spanId();
    String first = OtlpSender.spanId();
    String second = OtlpSender.spanId();
    Instant start = OtlpSender.now().minusSeconds(5);
    try (OtlpSender sender = new OtlpSender(api)) {
      sender.send(
          List.of(
              OtlpSender.span(
                  service,
                  traceId,
                  root,
                  null,
                  "handle message",
                  start,
                  Duration.ofMillis(900),
                  Attributes.empty()),
              modelCall(service, traceId, first, root, start.plusMillis(100), session, 1_234, 567),
              modelCall(service, traceId, second, root, start.plusMillis(500), session, 766, 33)));
    }
    SpanTable.await(SPANS_OF_TRACE, traceId, rows -> rows.size() == 3, DEADLINE);
    BigDecimal[] price = price("gpt-4o-mini");
    BigDecimal firstCost = cost(price, 1_234, 567);
    BigDecimal secondCost = cost(price, 766, 33);
    BigDecimal total = firstCost.add(secondCost);

    try (Chromium browser = new Chromium(base)) {
      // The search, by the session the calls carry.
      browser.open("#/search?session_id=" + session);
      assertEquals(session, browser.visible("input[name=session_id]").getAttribute("value"));
      WebElement row = browser.exactly("#traces tbody tr", 1).get(0);
      assertEquals(traceId, row.getAttribute("data-trace-id"));
      assertEquals("2,000 / 600", row.findElement(By.cssSelector("td.io")).getText());
      assertMoney(total, row.findElement(By.cssSelector("td.cost .usd")));
      browser.screenshot("cost-search-wide");

      // The trace's header, then each model call's details.
      row.findElement(By.cssSelector("a.trace-link")).click();
      browser.visible("#trace.rendered");
      assertEquals("2,000 in / 600 out", browser.visible("#trace-tokens").getText());
      assertMoney(total, browser.visible("#trace-cost"));
      browser.visible(".wf .r[data-span='" + first + "']").click();
      browser.await(d -> browser.hash().endsWith("span=" + first));
      WebElement llm = browser.visible("#span-details #llm");
      assertTrue(llm.getText().contains("gpt-4o-mini"), llm.getText());
      assertEquals("1,234", browser.visible("#llm .in").getText());
      assertEquals("567", browser.visible("#llm .out").getText());
      assertMoney(firstCost, browser.visible("#llm .cost .usd"));
      browser.screenshot("cost-trace-wide");
      browser.visible(".wf .r[data-span='" + second + "']").click();
      browser.await(d -> browser.hash().endsWith("span=" + second));
      browser.await(d -> "766".equals(browser.visible("#llm .in").getText()));
      assertMoney(secondCost, browser.visible("#llm .cost .usd"));

      // The statistics of the service, grouped by model: the calls' group and the overall cost.
      browser.open("#/stats?group_by=operation_name&window=1h&service_name=" + service);
      browser.visible("#stats-table");
      new Select(browser.visible("#group-by")).selectByValue("model");
      browser.await(d -> browser.hash().contains("group_by=model"));
      WebElement group = browser.visible("#stats-table tbody tr[data-key='gpt-4o-mini']");
      List<String> cells =
          group.findElements(By.cssSelector("td")).stream().map(WebElement::getText).toList();
      assertEquals("gpt-4o-mini", cells.get(0));
      assertEquals("2", cells.get(1), "two model calls");
      assertTrue(cells.containsAll(List.of("2,000", "600")), cells.toString());
      assertMoney(total, group.findElement(By.cssSelector("td.cost .usd")));
      assertMoney(total, browser.visible("#stats-cost"));
      assertEquals(
          "–",
          browser.visible("#stats-table tbody tr[data-key=''] td.cost").getText(),
          "the root is no model call: no cost");
      browser.screenshot("cost-stats-by-model-wide");

      browser.size(Chromium.NARROW);
      browser.open("#/search?session_id=" + session);
      assertMoney(total, browser.visible("#traces tbody tr td.cost .usd"));
      assertTrue(
          browser.fitsWidth(),
          () -> "the search with costs fits a phone's width: " + browser.overflowing());
      browser.screenshot("cost-search-narrow");
    }
  }

  private static io.opentelemetry.sdk.trace.data.SpanData modelCall(
      String service,
      String traceId,
      String spanId,
      String parent,
      Instant start,
      String session,
      long input,
      long output) {
    return OtlpSender.span(
        service,
        traceId,
        spanId,
        parent,
        "chat gpt-4o-mini",
        start,
        Duration.ofMillis(300),
        Attributes.builder()
            .put("gen_ai.operation.name", "chat")
            .put("gen_ai.request.model", "gpt-4o-mini")
            .put("gen_ai.conversation.id", session)
            .put("gen_ai.usage.input_tokens", input)
            .put("gen_ai.usage.output_tokens", output)
            .build());
  }

  /**
   * The input and output price per million tokens of {@code model} in GET /api/prices, by the rule
   * of docs/api.md §9: the exact row, else the longest pattern it starts with.
   */
  private BigDecimal[] price(String model) {
    JsonObject row =
        api.get("/api/prices").json().getJsonArray("prices").stream()
            .map(v -> v.asJsonObject())
            .filter(
                p -> {
                  String name = p.getString("model");
                  return name.equals(model)
                      || (name.endsWith("*")
                          && model.startsWith(name.substring(0, name.length() - 1)));
                })
            .max(
                Comparator.comparing((JsonObject p) -> p.getString("model").equals(model))
                    .thenComparing(p -> p.getString("model").length()))
            .orElseThrow(() -> new AssertionError("no price for " + model));
    return new BigDecimal[] {
      row.getJsonNumber("input_per_million").bigDecimalValue(),
      row.getJsonNumber("output_per_million").bigDecimalValue()
    };
  }

  /** Tokens x price per million, exactly. */
  private static BigDecimal cost(BigDecimal[] price, long input, long output) {
    return price[0]
        .multiply(BigDecimal.valueOf(input))
        .add(price[1].multiply(BigDecimal.valueOf(output)))
        .movePointLeft(6);
  }

  /**
   * An amount shown as the viewer shows small ones, every significant digit (six at most, which
   * these have), and exactly in its title.
   */
  private static void assertMoney(BigDecimal expected, WebElement shown) {
    String plain = expected.stripTrailingZeros().toPlainString();
    assertTrue(expected.signum() > 0 && expected.compareTo(new BigDecimal("0.01")) < 0, plain);
    assertEquals("$" + plain, shown.getText());
    assertEquals(plain + " USD", shown.getAttribute("title"));
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
  void taskPageShowsEveryTraceOnOneAxisWithItsStepsAndTotals() throws Exception {
    Work first = run(FAILING, "FAILED");
    Work second = runAgain(first.taskId(), "FAILED");
    String task = first.taskId();
    List<String> executions = List.of(first.executeTrace(), second.executeTrace());
    try (Chromium browser = new Chromium(base)) {
      // A task id in the search table opens the task's page.
      browser.open("#/search?task_id=" + task);
      browser.exactly("#traces tbody tr", 5);
      browser.visible("#traces a.task_id").click();
      browser.await(d -> browser.hash().equals("#/session/" + task));

      browser.visible("#session.rendered");
      assertTrue(browser.visible("#task-description").getText().contains("1 / 0"));
      assertEquals("FAILED", browser.visible("#task-status").getText());
      List<WebElement> items = browser.exactly("#timeline .tl-item", 5);
      assertEquals(
          List.of(
              first.createTrace(),
              first.planTrace(),
              first.executeTrace(),
              second.planTrace(),
              second.executeTrace()),
          items.stream().map(i -> i.getAttribute("data-trace-id")).toList(),
          "the traces in the order they started");
      assertEquals(
          List.of(
              "POST /api/tasks",
              "POST /api/tasks/{task_id}/plan",
              "POST /api/plans/{plan_id}/execute",
              "POST /api/tasks/{task_id}/plan",
              "POST /api/plans/{plan_id}/execute"),
          items.stream().map(i -> i.findElement(By.cssSelector(".tl-op")).getText()).toList());
      for (String execution : executions) {
        WebElement item = timelineItem(browser, execution);
        assertTrue(
            item.findElement(By.cssSelector(".tl-row")).getAttribute("class").contains("err"));
        assertTrue(item.findElement(By.cssSelector(".tl-bar")).isDisplayed(), "a bar on the axis");
      }
      assertTrue(
          timelineItem(browser, second.executeTrace()).getText().contains("execute 2"),
          "the second execution is numbered");

      // The plans, each step with what it ran with and what came of it.
      List<WebElement> plans = browser.exactly("article.plan", 2);
      for (WebElement plan : plans) {
        assertEquals("FAILED", plan.getAttribute("data-status"));
        assertEquals(
            "42", plan.findElement(By.cssSelector("tr[data-step='0'] .step-output")).getText());
        WebElement failed = plan.findElement(By.cssSelector("tr[data-step='1']"));
        assertEquals("FAILED", failed.getAttribute("data-status"));
        assertTrue(
            failed
                .findElement(By.cssSelector(".step-error"))
                .getText()
                .contains("division by zero"),
            failed.getText());
        assertEquals(
            "PENDING",
            plan.findElement(By.cssSelector("tr[data-step='2']")).getAttribute("data-status"));
        assertTrue(plan.findElement(By.cssSelector(".plan-error")).getText().contains("step 1"));
      }

      // The totals of all five traces.
      assertEquals("5", browser.visible("#total-traces strong").getText());
      assertFalse(browser.visible("#total-duration strong").getText().equals("–"));
      assertTrue(number(browser.visible("#total-errors strong").getText()) >= 2, "errors");
      assertTrue(number(browser.visible("#total-input-tokens strong").getText()) > 0, "tokens");
      assertTrue(number(browser.visible("#total-output-tokens strong").getText()) > 0, "tokens");
      // Cost only where the server gives one: hidden before prices, shown after.
      boolean priced =
          api.get("/api/traces/?limit=500&task_id=" + task).json().getJsonArray("traces").stream()
              .anyMatch(
                  t ->
                      t.asJsonObject().containsKey("cost_usd")
                          && !t.asJsonObject().isNull("cost_usd"));
      assertEquals(priced, !browser.all("#total-cost").isEmpty(), "cost shown iff priced");
      browser.screenshot("task-wide");

      // A trace opens into its waterfall in place; the failing step's error is a click away.
      WebElement item = timelineItem(browser, second.executeTrace());
      item.findElement(By.cssSelector(".tl-name .t")).click();
      browser.await(d -> browser.hash().contains("open=" + second.executeTrace()));
      String panel = ".tl-item[data-trace-id='" + second.executeTrace() + "'] .tl-panel";
      browser.await(
          d ->
              (Boolean)
                  browser.script(
                      "return [...document.querySelectorAll(arguments[0])]"
                          + ".some(r => r.textContent.includes('execution.execute_step'));",
                      panel + " .wf .r"));
      browser.visible(panel + " .wf .r.err").click();
      assertTrue(
          browser.visible(panel + " .status-message").getText().contains("division by zero"));
      browser.script(
          "document.querySelector(arguments[0]).scrollIntoView();",
          panel.replace(" .tl-panel", ""));
      browser.screenshot("task-waterfall-wide");

      // The open trace is part of the link.
      browser.open("#/session/" + task + "?open=" + first.executeTrace());
      browser.visible(
          ".tl-item[data-trace-id='" + first.executeTrace() + "'] .tl-panel .wf .r.err");

      // Two executions picked on the task page open the compare page.
      browser.open("#/session/" + task);
      assertEquals(
          first.executeTrace(), browser.visible("#pick-runs select[name=a]").getAttribute("value"));
      assertEquals(
          second.executeTrace(),
          browser.visible("#pick-runs select[name=b]").getAttribute("value"));
      browser.visible("#pick-runs button[type=submit]").click();
      browser.await(
          d ->
              browser
                  .hash()
                  .equals("#/compare?a=" + first.executeTrace() + "&b=" + second.executeTrace()));
      browser.visible(".comparison.rendered");
      assertTrue(
          browser.all("#compare-table tr.failed-a, #compare-table tr.failed-b").isEmpty(),
          "both runs failed the same step");
      assertTrue(
          compared(browser, "execution.execute_step[1]").getText().contains("ERROR"),
          "the failed step on both sides");

      browser.size(Chromium.NARROW);
      browser.open("#/session/" + task);
      browser.visible("#session.rendered");
      browser.exactly("#timeline .tl-item", 5);
      assertTrue(
          browser.fitsWidth(),
          () -> "the task page fits a phone's width: " + browser.overflowing());
      browser.screenshot("task-narrow");
      browser.script("document.querySelector('article.plan').scrollIntoView();");
      browser.screenshot("task-steps-narrow");
    }
  }

  @Test
  void taskIdsInTheTraceAndItsSpansOpenTheTaskPage() throws Exception {
    Work work = run("Calculate 6 * 7, then write a one-line summary of the result.", "COMPLETED");
    try (Chromium browser = new Chromium(base)) {
      browser.open("#/trace/" + work.executeTrace());
      browser.visible("#trace.rendered");
      assertTrue(
          browser
              .visible(".trace-head a.task-link")
              .getAttribute("href")
              .endsWith("#/session/" + work.taskId()));
      browser.visible(".wf .r[data-i='0']").click();
      browser.visible("#span-details a.task-link").click();
      browser.await(d -> browser.hash().equals("#/session/" + work.taskId()));
      browser.exactly("#timeline .tl-item", 3);
      assertEquals("COMPLETED", browser.visible("#task-status").getText());

      browser.open("#/session");
      browser.visible("#tasks tr[data-task-id='" + work.taskId() + "'] a.task-link").click();
      browser.await(d -> browser.hash().equals("#/session/" + work.taskId()));
      browser.visible("#session.rendered");

      browser.open("#/session/" + UUID.randomUUID());
      assertTrue(browser.visible("#not-found").getText().contains("No such task"));
    }
  }

  @Test
  void compareAlignsTwoRunsByOperationPathAndMarksWhatDiffers() throws Exception {
    Work passing = run(PASSING, "COMPLETED");
    Work failing = run(FAILING, "FAILED");
    settled(passing.executeTrace());
    settled(failing.executeTrace());
    String a = passing.executeTrace();
    String b = failing.executeTrace();
    try (Chromium browser = new Chromium(base)) {
      browser.open("#/trace/" + a);
      browser.visible("#trace.rendered");
      browser.visible("#compare-with").click();
      browser.visible("#compare-other").sendKeys(b);
      browser.visible("#compare-with-form button[type=submit]").click();
      browser.await(d -> browser.hash().equals("#/compare?a=" + a + "&b=" + b));
      browser.visible(".comparison.rendered");
      assertEquals(a, browser.visible("#side-a").getAttribute("data-trace-id"));
      assertEquals(b, browser.visible("#side-b").getAttribute("data-trace-id"));

      // The request and its first step ran in both; the second failed in B only; B never ran
      // the third.
      WebElement root = compared(browser, "POST /api/plans/{plan_id}/execute[0]");
      assertFalse(root.getAttribute("data-diff").contains("only"), root.getText());
      WebElement step0 = compared(browser, "execution.execute_step[0]");
      assertFalse(step0.getAttribute("data-diff").contains("only"), step0.getText());
      assertFalse(step0.getAttribute("data-diff").contains("failed"), step0.getText());
      WebElement step1 = compared(browser, "execution.execute_step[1]");
      assertTrue(step1.getAttribute("data-diff").contains("failed-b"), step1.getText());
      assertTrue(step1.getText().contains("failed in B only"), step1.getText());
      assertFalse(step1.findElement(By.cssSelector("td.side-a .badge")).getText().equals("ERROR"));
      assertEquals("ERROR", step1.findElement(By.cssSelector("td.side-b .badge")).getText());
      WebElement step2 = compared(browser, "execution.execute_step[2]");
      assertTrue(step2.getAttribute("data-diff").contains("only-a"), step2.getText());
      assertTrue(step2.getText().contains("not in B"), step2.getText());
      assertTrue(step2.getText().contains("only in A"), step2.getText());
      String summary = browser.visible("#diff-summary").getText();
      assertTrue(summary.matches("(?s).*[1-9]\\d* on one side only.*"), summary);
      assertTrue(summary.matches("(?s).*[1-9]\\d* failed on one side only.*"), summary);
      browser.screenshot("compare-wide");

      // Only the differences, and the spans above them for their place.
      browser.visible("#only-differences").click();
      assertTrue(browser.hash().contains("only=differences"), browser.hash());
      assertTrue(step1.isDisplayed() && step2.isDisplayed() && root.isDisplayed());
      for (WebElement row : browser.all("#compare-table tbody tr")) {
        String classes = row.getAttribute("class");
        boolean kept =
            classes != null && (classes.contains("differs") || classes.contains("context"));
        assertEquals(kept, row.isDisplayed(), row.getAttribute("data-path"));
      }
      browser.screenshot("compare-differences-wide");

      browser.size(Chromium.NARROW);
      browser.open("#/compare?a=" + a + "&b=" + b);
      browser.visible(".comparison.rendered");
      assertTrue(browser.fitsWidth(), "the compare page fits a phone's width");
      browser.screenshot("compare-narrow");

      browser.open("#/compare?a=" + a + "&b=" + UUID.randomUUID().toString().replace("-", ""));
      assertTrue(browser.visible("#not-found").getText().contains("No such trace B"));
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

  /**
   * A task planned and executed, with the ids of its work and of its traces ({@code createTrace}
   * null for a second plan of a task).
   */
  private record Work(
      String taskId, String planId, String createTrace, String planTrace, String executeTrace) {}

  /** Creates, plans and executes a task; returns once the traces' root spans are stored. */
  private Work run(String description, String planStatus) throws Exception {
    Reply created =
        api.post("/api/tasks", Json.createObjectBuilder().add("description", description).build());
    assertEquals(201, created.status(), created.body());
    String taskId = created.json().getString("id");
    Work work = runAgain(taskId, planStatus);
    String createTrace = traceOf(created);
    return new Work(taskId, work.planId(), createTrace, work.planTrace(), work.executeTrace());
  }

  /** Plans and executes a task once more; returns once the traces' root spans are stored. */
  private Work runAgain(String taskId, String planStatus) throws Exception {
    Reply planned = api.post("/api/tasks/" + taskId + "/plan");
    assertEquals(201, planned.status(), planned.body());
    String planId = planned.json().getString("id");
    Reply executed = api.post("/api/plans/" + planId + "/execute");
    assertEquals(planStatus, executed.json().getString("status"), executed.body());
    return new Work(taskId, planId, null, traceOf(planned), traceOf(executed));
  }

  /** The trace of a response, once its root span is stored. */
  private static String traceOf(Reply reply) throws Exception {
    String traceId = reply.header("traceparent").substring(3, 35);
    SpanTable.await(SPANS_OF_TRACE, traceId, ViewerIT::hasRoot, DEADLINE);
    return traceId;
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

  private static WebElement timelineItem(Chromium browser, String traceId) {
    return browser.visible("#timeline .tl-item[data-trace-id='" + traceId + "']");
  }

  /** The compare table's row of the span whose operation path ends with {@code path}. */
  private static WebElement compared(Chromium browser, String path) {
    return browser.await(
        d ->
            browser.all("#compare-table tbody tr").stream()
                .filter(r -> r.getAttribute("data-path").endsWith(path))
                .findFirst()
                .orElse(null));
  }

  private static long number(String shown) {
    return Long.parseLong(shown.replace(",", ""));
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
