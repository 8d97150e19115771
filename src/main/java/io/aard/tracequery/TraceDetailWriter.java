package io.aard.tracequery;

import io.aard.tracequery.TraceViews.SpanNode;
import io.aard.tracequery.TraceViews.TraceDetail;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyWriter;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes the body of {@code GET /api/traces/{trace_id}} as JSON-B would (the same names, order and
 * values, nulls written; see {@code JsonbContext}), but without recursion: JSON-B serialises a
 * nested {@link SpanNode} by calling itself once per level, and a chain of 100,000 spans (each the
 * parent of the next) overflows a request thread's stack. Here the tree is walked with an explicit
 * stack of the open levels, streaming through a {@link JsonGenerator}.
 *
 * <p>Properties come in JSON-B's default order, lexicographic by name; {@code children} and {@code
 * spans} sit among them, so a span's properties after {@code children} are written when its
 * children's array closes.
 */
@Provider
@Produces(MediaType.APPLICATION_JSON)
public class TraceDetailWriter implements MessageBodyWriter<TraceDetail> {

  /** Looked up once: {@code Json.createGenerator} scans for the provider on every call. */
  private static final JsonGeneratorFactory GENERATORS =
      JsonProvider.provider().createGeneratorFactory(Map.of());

  @Override
  public boolean isWriteable(
      Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
    return TraceDetail.class.isAssignableFrom(type);
  }

  @Override
  public void writeTo(
      TraceDetail detail,
      Class<?> type,
      Type genericType,
      Annotation[] annotations,
      MediaType mediaType,
      MultivaluedMap<String, Object> httpHeaders,
      OutputStream entityStream)
      throws IOException {
    // Closing the generator returns its buffer; the entity stream is the container's to close.
    try (JsonGenerator json =
        GENERATORS.createGenerator(new Unclosed(entityStream), StandardCharsets.UTF_8)) {
      write(detail, json);
    }
  }

  /** Writes {@code detail} as one JSON object; the generator is left open. */
  static void write(TraceDetail d, JsonGenerator json) {
    json.writeStartObject();
    decimal(json, "cost_usd", d.costUsd());
    number(json, "duration_ms", d.durationMs());
    instant(json, "end_time", d.endTime());
    json.write("error_count", d.errorCount());
    json.write("input_tokens", d.inputTokens());
    text(json, "next_cursor", d.nextCursor());
    json.write("output_tokens", d.outputTokens());
    text(json, "plan_id", d.planId());
    text(json, "root_operation", d.rootOperation());
    text(json, "service_name", d.serviceName());
    text(json, "session_id", d.sessionId());
    json.write("span_count", d.spanCount());
    json.writeStartArray("spans");
    tree(json, d.spans());
    json.writeEnd();
    instant(json, "start_time", d.startTime());
    text(json, "status", d.status() == null ? null : d.status().name());
    text(json, "task_id", d.taskId());
    text(json, "trace_id", d.traceId());
    json.write("truncated", d.truncated());
    json.writeEnd();
  }

  /**
   * The spans of {@code roots} and everything below them, into the open array. {@code levels} holds
   * an iterator per open array (the roots', then each open span's children's), {@code open} the
   * spans whose {@code children} array is open: one fewer.
   */
  private static void tree(JsonGenerator json, List<SpanNode> roots) {
    Deque<Iterator<SpanNode>> levels = new ArrayDeque<>();
    Deque<SpanNode> open = new ArrayDeque<>();
    levels.push(roots.iterator());
    while (true) {
      Iterator<SpanNode> level = levels.peek();
      if (level.hasNext()) {
        SpanNode node = level.next();
        json.writeStartObject();
        text(json, "agent_id", node.agentId());
        value(json, "attributes", node.attributes());
        json.writeStartArray("children");
        open.push(node);
        levels.push(node.children().iterator());
        continue;
      }
      levels.pop();
      if (open.isEmpty()) {
        return;
      }
      json.writeEnd();
      afterChildren(json, open.pop());
      json.writeEnd();
    }
  }

  /** A span's properties that sort after {@code children}. */
  private static void afterChildren(JsonGenerator json, SpanNode n) {
    decimal(json, "cost_usd", n.costUsd());
    number(json, "duration_ms", n.durationMs());
    instant(json, "end_time", n.endTime());
    value(json, "events", n.events());
    count(json, "input_tokens", n.inputTokens());
    text(json, "model", n.model());
    text(json, "operation_name", n.operationName());
    count(json, "output_tokens", n.outputTokens());
    text(json, "parent_span_id", n.parentSpanId());
    text(json, "plan_id", n.planId());
    value(json, "resource", n.resource());
    text(json, "service_name", n.serviceName());
    text(json, "session_id", n.sessionId());
    text(json, "span_id", n.spanId());
    text(json, "span_kind", n.spanKind());
    instant(json, "start_time", n.startTime());
    text(json, "status", n.status() == null ? null : n.status().name());
    text(json, "status_message", n.statusMessage());
    text(json, "task_id", n.taskId());
    text(json, "tool_id", n.toolId());
    text(json, "trace_id", n.traceId());
  }

  private static void text(JsonGenerator json, String name, String value) {
    if (value == null) {
      json.writeNull(name);
    } else {
      json.write(name, value);
    }
  }

  /** As JSON-B writes an {@link Instant}: ISO-8601 in UTC, its fraction in groups of three. */
  private static void instant(JsonGenerator json, String name, Instant value) {
    text(json, name, value == null ? null : DateTimeFormatter.ISO_INSTANT.format(value));
  }

  private static void number(JsonGenerator json, String name, double value) {
    json.write(name, value);
  }

  private static void count(JsonGenerator json, String name, Long value) {
    if (value == null) {
      json.writeNull(name);
    } else {
      json.write(name, value.longValue());
    }
  }

  private static void decimal(JsonGenerator json, String name, java.math.BigDecimal value) {
    if (value == null) {
      json.writeNull(name);
    } else {
      json.write(name, value);
    }
  }

  private static void value(JsonGenerator json, String name, JsonValue value) {
    json.write(name, value == null ? JsonValue.NULL : value);
  }

  /** The entity stream, which the generator may flush but must not close. */
  private static final class Unclosed extends FilterOutputStream {

    Unclosed(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      out.write(bytes, offset, length);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
