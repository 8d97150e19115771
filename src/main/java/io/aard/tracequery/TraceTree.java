package io.aard.tracequery;

import io.aard.tracequery.TraceViews.Span;
import io.aard.tracequery.TraceViews.SpanNode;
import io.aard.tracequery.TraceViews.TraceDetail;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Builds a trace's span tree and summary from its flat spans. */
final class TraceTree {

  private static final Comparator<Span> BY_START =
      Comparator.comparing(Span::startTime).thenComparing(Span::spanId);

  private TraceTree() {}

  /**
   * The trace of {@code spans} (not empty, one trace). The tree's roots are the spans whose parent
   * is not among them; the summary's root is the first span without a parent or, if every span has
   * one (a remote caller, or a root not stored yet), the first of the tree's roots. Its status is
   * ERROR when any span is ERROR, else the root's; its tokens and cost are the sums over its spans
   * (the cost {@code null} when no span has one), exact.
   */
  static TraceDetail detail(List<Span> spans) {
    List<Span> ordered = new ArrayList<>(spans);
    ordered.sort(BY_START);
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
    Set<String> visiting = new HashSet<>();
    List<SpanNode> tree = new ArrayList<>();
    for (Span r : roots) {
      tree.add(node(r, children, visiting));
    }
    for (Span s : ordered) {
      if (!visiting.contains(s.spanId())) {
        // Only corrupt data (parents in a cycle) leaves a span unreached; show it at the top.
        roots.add(s);
        tree.add(node(s, children, visiting));
      }
    }
    Span root =
        roots.stream().filter(s -> s.parentSpanId() == null).findFirst().orElse(roots.get(0));
    long errors = ordered.stream().filter(s -> s.status() == SpanStatus.ERROR).count();
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
    return new TraceDetail(
        root.traceId(),
        root.operationName(),
        root.serviceName(),
        root.startTime(),
        root.endTime(),
        root.durationMs(),
        ordered.size(),
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
        tree);
  }

  private static SpanNode node(Span span, Map<String, List<Span>> children, Set<String> visiting) {
    List<SpanNode> nested = new ArrayList<>();
    if (visiting.add(span.spanId())) {
      for (Span child : children.getOrDefault(span.spanId(), List.of())) {
        nested.add(node(child, children, visiting));
      }
    }
    return SpanNode.of(span, nested);
  }

  private static String firstOf(String preferred, List<String> others) {
    return preferred != null ? preferred : others.isEmpty() ? null : others.get(0);
  }
}
