package io.aard.tracequery;

import io.aard.tracequery.TraceViews.Span;
import io.aard.tracequery.TraceViews.SpanNode;
import io.aard.tracequery.TraceViews.TraceDetail;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds a trace's span tree and summary from its flat spans. Without recursion: a trace is as deep
 * as whoever writes its spans makes it, and a chain of 100,000 spans (each the parent of the next)
 * must not overflow the stack of the thread that reads it.
 */
final class TraceTree {

  private TraceTree() {}

  /**
   * What a read that was cut knows of the whole trace.
   *
   * @param spanCount the trace's spans, all of them
   * @param errorCount the trace's ERROR spans, all of them
   * @param inputTokens the trace's input tokens, all of them
   * @param outputTokens the trace's output tokens, all of them
   * @param costUsd the trace's cost, {@code null} when no span has one
   * @param nextCursor the {@code cursor} of {@code /spans} after the last span read
   */
  record Cut(
      long spanCount,
      long errorCount,
      long inputTokens,
      long outputTokens,
      java.math.BigDecimal costUsd,
      String nextCursor) {}

  /** The whole trace of {@code spans} (not empty, one trace); see {@link #detail(List, Cut)}. */
  static TraceDetail detail(List<Span> spans) {
    return detail(spans, null);
  }

  /**
   * The trace of {@code spans} (not empty, one trace). The tree's roots are the spans whose parent
   * is not among them; the summary's root is the first span without a parent or, if every span has
   * one (a remote caller, or a root not stored yet), the first of the tree's roots. Its status is
   * ERROR when any span of the trace is ERROR, else the root's; its tokens and cost are the sums
   * over its spans (the cost {@code null} when no span has one), exact.
   *
   * @param cut {@code null} when {@code spans} is the whole trace; else the whole trace's counts
   *     and sums, which the summary shows, and the cursor of the rest
   */
  static TraceDetail detail(List<Span> spans, Cut cut) {
    List<Span> ordered = new ArrayList<>(spans);
    ordered.sort(TraceRows.ORDER);
    Set<String> ids = new HashSet<>();
    ordered.forEach(s -> ids.add(s.spanId()));
    Map<String, List<Span>> children = new HashMap<>();
    List<Span> roots = new ArrayList<>();
    for (Span s : ordered) {
      boolean parentStored =
          s.parentSpanId() != null
              && ids.contains(s.parentSpanId())
              && !s.parentSpanId().equals(s.spanId());
      if (parentStored) {
        children.computeIfAbsent(s.parentSpanId(), k -> new ArrayList<>()).add(s);
      } else {
        roots.add(s);
      }
    }
    Set<String> entered = new HashSet<>();
    List<SpanNode> tree = new ArrayList<>();
    for (Span r : roots) {
      tree.add(subtree(r, children, entered));
    }
    for (Span s : ordered) {
      if (!entered.contains(s.spanId())) {
        // Only corrupt data (parents in a cycle) leaves a span unreached; show it at the top.
        roots.add(s);
        tree.add(subtree(s, children, entered));
      }
    }
    Span root =
        roots.stream().filter(s -> s.parentSpanId() == null).findFirst().orElse(roots.get(0));
    long errors =
        cut != null
            ? cut.errorCount()
            : ordered.stream().filter(s -> s.status() == SpanStatus.ERROR).count();
    long inputTokens = 0;
    long outputTokens = 0;
    BigDecimal cost = null;
    for (Span s : ordered) {
      inputTokens += s.inputTokens() == null ? 0 : s.inputTokens();
      outputTokens += s.outputTokens() == null ? 0 : s.outputTokens();
      if (s.costUsd() != null) {
        cost = cost == null ? s.costUsd() : cost.add(s.costUsd());
      }
    }
    if (cut != null) {
      inputTokens = cut.inputTokens();
      outputTokens = cut.outputTokens();
      cost = cut.costUsd();
    }
    return new TraceDetail(
        root.traceId(),
        root.operationName(),
        root.serviceName(),
        root.startTime(),
        root.endTime(),
        root.durationMs(),
        cut != null ? cut.spanCount() : ordered.size(),
        errors,
        errors > 0 ? SpanStatus.ERROR : root.status(),
        firstOf(
            root.taskId(), ordered.stream().map(Span::taskId).filter(Objects::nonNull).toList()),
        firstOf(
            root.planId(), ordered.stream().map(Span::planId).filter(Objects::nonNull).toList()),
        firstOf(
            root.sessionId(),
            ordered.stream().map(Span::sessionId).filter(Objects::nonNull).toList()),
        inputTokens,
        outputTokens,
        cost == null ? null : io.aard.pricing.Money.plain(cost),
        tree,
        cut != null,
        cut != null ? cut.nextCursor() : null);
  }

  /** A span met on the walk, and the index (in walk order) of the span it is nested under. */
  private record Visit(Span span, int parent) {}

  /**
   * The subtree under {@code top}, children in start order. A depth-first walk with an explicit
   * stack lists the spans in pre-order; the nodes are then made from the last to the first, so that
   * every child exists before its parent. A span already entered (only parents in a cycle, or a
   * span id stored twice, do that) is shown again without its children, so the walk ends.
   */
  private static SpanNode subtree(Span top, Map<String, List<Span>> children, Set<String> entered) {
    List<Span> walk = new ArrayList<>();
    List<List<Integer>> nestedIndexes = new ArrayList<>();
    Deque<Visit> stack = new ArrayDeque<>();
    stack.push(new Visit(top, -1));
    while (!stack.isEmpty()) {
      Visit visit = stack.pop();
      int index = walk.size();
      walk.add(visit.span());
      nestedIndexes.add(new ArrayList<>());
      if (visit.parent() >= 0) {
        nestedIndexes.get(visit.parent()).add(index);
      }
      if (entered.add(visit.span().spanId())) {
        List<Span> below = children.getOrDefault(visit.span().spanId(), List.of());
        for (int i = below.size() - 1; i >= 0; i--) {
          stack.push(new Visit(below.get(i), index));
        }
      }
    }
    SpanNode[] nodes = new SpanNode[walk.size()];
    for (int i = walk.size() - 1; i >= 0; i--) {
      List<SpanNode> nested = new ArrayList<>(nestedIndexes.get(i).size());
      for (int child : nestedIndexes.get(i)) {
        nested.add(nodes[child]);
      }
      nodes[i] = SpanNode.of(walk.get(i), nested);
    }
    return nodes[0];
  }

  private static String firstOf(String preferred, List<String> others) {
    return preferred != null ? preferred : others.isEmpty() ? null : others.get(0);
  }
}
