package io.aard.tracequery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.tracequery.TraceViews.Span;
import io.aard.tracequery.TraceViews.SpanNode;
import io.aard.tracequery.TraceViews.TraceDetail;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TraceTreeTest {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
  private static final String TASK = "3f1c2d4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f";

  @Test
  void childrenAreNestedUnderTheirParentsInStartOrder() {
    TraceDetail detail =
        TraceTree.detail(
            List.of(
                span("c2", "root", 30, SpanStatus.OK),
                span("root", null, 0, SpanStatus.UNSET),
                span("c1", "root", 10, SpanStatus.OK),
                span("g1", "c1", 20, SpanStatus.OK)));
    assertEquals(1, detail.spans().size());
    SpanNode root = detail.spans().get(0);
    assertEquals("root", root.spanId());
    assertEquals(List.of("c1", "c2"), root.children().stream().map(SpanNode::spanId).toList());
    assertEquals("g1", root.children().get(0).children().get(0).spanId());
    assertEquals(4, detail.spanCount());
    assertEquals("op-root", detail.rootOperation());
  }

  @Test
  void anErrorInADeepSpanMakesTheTraceAnError() {
    TraceDetail detail =
        TraceTree.detail(
            List.of(
                span("root", null, 0, SpanStatus.UNSET),
                span("c1", "root", 10, SpanStatus.OK),
                span("g1", "c1", 20, SpanStatus.ERROR)));
    assertEquals(SpanStatus.ERROR, detail.status());
    assertEquals(1, detail.errorCount());
  }

  @Test
  void spansWhoseParentIsNotStoredAreRootsOfTheTree() {
    TraceDetail detail =
        TraceTree.detail(
            List.of(
                span("server", "remote0000000000", 5, SpanStatus.UNSET),
                span("child", "server", 10, SpanStatus.OK),
                span("early", "missing000000000", 1, SpanStatus.OK)));
    assertEquals(
        List.of("early", "server"), detail.spans().stream().map(SpanNode::spanId).toList());
    assertEquals("op-early", detail.rootOperation());
    assertEquals(TASK, detail.taskId());
  }

  @Test
  void parentsInACycleStillShowEverySpanOnce() {
    TraceDetail detail =
        TraceTree.detail(
            List.of(span("a", "b", 0, SpanStatus.OK), span("b", "a", 1, SpanStatus.OK)));
    assertEquals(1, detail.spans().size());
    assertEquals("b", detail.spans().get(0).children().get(0).spanId());
  }

  @Test
  void tokensAndCostAreSummedOverTheTraceExactly() {
    TraceDetail detail =
        TraceTree.detail(
            List.of(
                span("root", null, 0, SpanStatus.OK),
                priced("a", 1, 1200L, 300L, "0.000375", "conversation-1"),
                priced("b", 2, 10L, null, "0.1", null),
                priced("c", 3, null, 5L, null, null),
                priced("d", 4, null, null, "0.2", null)));
    assertEquals(1210, detail.inputTokens());
    assertEquals(305, detail.outputTokens());
    assertEquals(new BigDecimal("0.300375"), detail.costUsd(), "0.1 + 0.2 is exact here");
    assertEquals("conversation-1", detail.sessionId());
    TraceDetail unpriced = TraceTree.detail(List.of(span("root", null, 0, SpanStatus.OK)));
    assertEquals(null, unpriced.costUsd(), "no span has a cost: none, not 0");
    assertEquals(0, unpriced.inputTokens());
  }

  private static Span priced(
      String id, long startMillis, Long input, Long output, String cost, String session) {
    Span s = span(id, "root", startMillis, SpanStatus.OK);
    return new Span(
        s.traceId(),
        s.spanId(),
        s.parentSpanId(),
        s.operationName(),
        s.serviceName(),
        s.spanKind(),
        s.startTime(),
        s.endTime(),
        s.durationMs(),
        s.status(),
        s.statusMessage(),
        s.taskId(),
        s.planId(),
        s.agentId(),
        s.toolId(),
        input,
        output,
        "gpt-4o-mini",
        session,
        cost == null ? null : new BigDecimal(cost),
        s.attributes(),
        s.events(),
        s.resource());
  }

  private static Span span(String id, String parent, long startMillis, SpanStatus status) {
    Instant start = Instant.parse("2026-11-01T00:00:00Z").plusMillis(startMillis);
    return new Span(
        TRACE,
        id,
        parent,
        "op-" + id,
        "aard",
        "INTERNAL",
        start,
        start.plusMillis(5),
        5,
        status,
        null,
        parent == null ? null : TASK,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        JsonValue.EMPTY_JSON_OBJECT,
        JsonValue.EMPTY_JSON_ARRAY,
        JsonValue.EMPTY_JSON_OBJECT);
  }

  @Test
  void aChainOfAHundredThousandSpansIsBuiltOnASmallStack() throws Exception {
    List<Span> chain = chain(100_000);
    TraceDetail detail = onSmallStack(() -> TraceTree.detail(chain));
    assertEquals(100_000, detail.spanCount());
    assertEquals(1, detail.spans().size());
    SpanNode node = detail.spans().get(0);
    int depth = 1;
    while (!node.children().isEmpty()) {
      assertEquals(1, node.children().size());
      node = node.children().get(0);
      depth++;
    }
    assertEquals(100_000, depth);
    assertEquals(chain.get(chain.size() - 1).spanId(), node.spanId());
    assertFalse(detail.truncated());
    assertNull(detail.nextCursor());
  }

  @Test
  void aLongCycleBesideARootShowsEverySpanAndEnds() {
    List<Span> spans = new ArrayList<>(chain(3));
    spans.add(span("x", "z", 100, SpanStatus.OK));
    spans.add(span("y", "x", 101, SpanStatus.OK));
    spans.add(span("z", "y", 102, SpanStatus.ERROR));
    TraceDetail detail = TraceTree.detail(spans);
    assertEquals(List.of("s0", "x"), detail.spans().stream().map(SpanNode::spanId).toList());
    assertEquals("op-s0", detail.rootOperation(), "the span without a parent is the root");
    SpanNode z = detail.spans().get(1).children().get(0).children().get(0);
    assertEquals("z", z.spanId());
    SpanNode again = z.children().get(0);
    assertEquals("x", again.spanId(), "the span that closes the cycle is shown again");
    assertTrue(again.children().isEmpty(), "without its children, so the walk ends");
    Set<String> shown = new HashSet<>();
    List<SpanNode> todo = new ArrayList<>(detail.spans());
    while (!todo.isEmpty()) {
      SpanNode n = todo.remove(todo.size() - 1);
      shown.add(n.spanId());
      todo.addAll(n.children());
    }
    assertEquals(Set.of("s0", "s1", "s2", "x", "y", "z"), shown);
    assertEquals(SpanStatus.ERROR, detail.status());
  }

  @Test
  void aCutTraceCountsTheWholeTraceAndSaysWhereTheRestIs() {
    TraceDetail detail =
        TraceTree.detail(
            List.of(span("root", null, 0, SpanStatus.OK), span("c1", "root", 10, SpanStatus.OK)),
            new TraceTree.Cut(123_456, 3, 0, 0, null, "next-page"));
    assertTrue(detail.truncated());
    assertEquals("next-page", detail.nextCursor());
    assertEquals(123_456, detail.spanCount());
    assertEquals(3, detail.errorCount());
    assertEquals(SpanStatus.ERROR, detail.status(), "an error among the spans not returned");
    assertEquals(1, detail.spans().size());
  }

  /** {@code n} spans, each the parent of the next, one microsecond apart: s0, s1, ... */
  static List<Span> chain(int n) {
    List<Span> spans = new ArrayList<>(n);
    Instant start = Instant.parse("2026-11-01T00:00:00Z");
    for (int i = 0; i < n; i++) {
      Instant at = start.plusNanos(i * 1_000L);
      spans.add(
          new Span(
              TRACE,
              "s" + i,
              i == 0 ? null : "s" + (i - 1),
              "op-s" + i,
              "aard",
              "INTERNAL",
              at,
              at.plusMillis(5),
              5,
              SpanStatus.OK,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              null,
              JsonValue.EMPTY_JSON_OBJECT,
              JsonValue.EMPTY_JSON_ARRAY,
              JsonValue.EMPTY_JSON_OBJECT));
    }
    return spans;
  }

  /**
   * Runs {@code work} on a thread with a 256 KiB stack, a quarter of a request thread's: recursion
   * a few thousand levels deep would overflow it.
   */
  static <T> T onSmallStack(java.util.concurrent.Callable<T> work) throws Exception {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread =
        new Thread(
            null,
            () -> {
              try {
                result.set(work.call());
              } catch (Throwable t) {
                failure.set(t);
              }
            },
            "small-stack",
            256 * 1024);
    thread.start();
    thread.join();
    if (failure.get() != null) {
      throw new AssertionError("failed on a small stack", failure.get());
    }
    return result.get();
  }
}
