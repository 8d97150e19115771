package io.aard.tracequery;

import static io.aard.tracequery.TraceTreeTest.chain;
import static io.aard.tracequery.TraceTreeTest.onSmallStack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.aard.tracequery.TraceViews.Span;
import io.aard.tracequery.TraceViews.TraceDetail;
import io.aard.web.JsonbContext;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import jakarta.ws.rs.core.MediaType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceDetailWriterTest {

  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  @Test
  void writesWhatJsonbWritesForAWholeTrace() throws IOException {
    TraceDetail detail = TraceTree.detail(spans());
    assertEquals(JsonbContext.jsonb().toJson(detail), written(detail));
  }

  @Test
  void writesWhatJsonbWritesForACutTrace() throws IOException {
    TraceDetail detail =
        TraceTree.detail(
            spans(),
            new TraceTree.Cut(
                123_456, 2, 1_000, 2_000, new java.math.BigDecimal("1.25"), "AQID-_x"));
    String json = written(detail);
    assertEquals(JsonbContext.jsonb().toJson(detail), json);
    assertTrue(json.contains("\"truncated\":true"), json);
    assertTrue(json.contains("\"next_cursor\":\"AQID-_x\""), json);
  }

  @Test
  void leavesTheEntityStreamOpen() throws IOException {
    boolean[] closed = {false};
    OutputStream entity =
        new ByteArrayOutputStream() {
          @Override
          public void close() {
            closed[0] = true;
          }
        };
    new TraceDetailWriter()
        .writeTo(
            TraceTree.detail(spans()),
            TraceDetail.class,
            TraceDetail.class,
            null,
            MediaType.APPLICATION_JSON_TYPE,
            null,
            entity);
    assertEquals(false, closed[0], "the container closes the entity stream, not the writer");
    assertTrue(entity.toString().endsWith("}"), entity.toString());
  }

  @Test
  void aChainOfAHundredThousandSpansIsWrittenOnASmallStack() throws Exception {
    List<Span> spans = chain(100_000);
    byte[] json =
        onSmallStack(
            () -> {
              ByteArrayOutputStream out = new ByteArrayOutputStream();
              write(TraceTree.detail(spans), out);
              return out.toByteArray();
            });
    // Read back with a streaming parser whose depth limit (1,000 by default) lets it through.
    int depth = 0;
    int deepest = 0;
    int objects = 0;
    try (JsonParser parser =
        JsonProvider.provider()
            .createParserFactory(Map.of("org.eclipse.parsson.maxDepth", 1_000_000))
            .createParser(new ByteArrayInputStream(json), StandardCharsets.UTF_8)) {
      while (parser.hasNext()) {
        switch (parser.next()) {
          case START_OBJECT -> {
            objects++;
            deepest = Math.max(deepest, ++depth);
          }
          case END_OBJECT -> depth--;
          default -> {}
        }
      }
    }
    assertEquals(0, depth);
    // The trace's object, then one per span, each inside the one before.
    assertEquals(1 + 100_000 * 3, objects, "each span holds an attributes and a resource object");
    assertEquals(1 + 100_000 + 1, deepest, "the last span's attributes lie deepest");
  }

  private static String written(TraceDetail detail) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(detail, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static void write(TraceDetail detail, OutputStream out) throws IOException {
    new TraceDetailWriter()
        .writeTo(
            detail,
            TraceDetail.class,
            TraceDetail.class,
            null,
            MediaType.APPLICATION_JSON_TYPE,
            null,
            out);
  }

  /** A small trace with every kind of value a span holds, nulls included. */
  private static List<Span> spans() {
    Instant start = Instant.parse("2026-11-01T08:00:00Z");
    return List.of(
        span(
            "a000000000000001",
            null,
            "POST /api/plans/{plan_id}/execute",
            "SERVER",
            start,
            1234.5678,
            SpanStatus.UNSET,
            null,
            null,
            null,
            "{\"http.route\": \"/api/plans/{plan_id}/execute\", \"http.response.status_code\":"
                + " 200, \"ratio\": 0.5, \"flag\": true, \"tags\": [\"a\", \"b\"], \"nested\":"
                + " {\"x\": null, \"y\": [1, 2.5e3, -7]}, \"text\": \"quote \\\" and é ✓\"}",
            "[]"),
        span(
            "a000000000000002",
            "a000000000000001",
            "execution.execute_step",
            "INTERNAL",
            start.plusNanos(123_456_000),
            5.0,
            SpanStatus.OK,
            "step failed? no",
            12L,
            null,
            "{}",
            "[{\"name\": \"exception\", \"time\": \"2026-11-01T08:00:00.5Z\", \"attributes\":"
                + " {\"exception.message\": \"line\\nbreak\"}}]"),
        span(
            "a000000000000003",
            "a000000000000002",
            "ollama.generate",
            "CLIENT",
            start.plusMillis(500),
            0.1,
            SpanStatus.ERROR,
            "model unavailable",
            12L,
            30L,
            "{\"gen_ai.usage.input_tokens\": 12}",
            "[]"),
        span(
            "a000000000000004",
            "a000000000000001",
            "execution.execute_step",
            "INTERNAL",
            start.plusSeconds(2),
            1e-3,
            SpanStatus.ERROR,
            null,
            null,
            null,
            "{}",
            "[]"),
        span(
            "b000000000000001",
            "ffffffffffffffff",
            "GET /api/tasks/{task_id}",
            "SERVER",
            start.plusSeconds(3).plusNanos(1),
            1e9,
            SpanStatus.OK,
            null,
            null,
            null,
            "{}",
            "[]"));
  }

  private static Span span(
      String id,
      String parent,
      String name,
      String kind,
      Instant start,
      double durationMs,
      SpanStatus status,
      String message,
      Long in,
      Long out,
      String attributes,
      String events) {
    return new Span(
        TRACE,
        id,
        parent,
        name,
        "aard",
        kind,
        start,
        start.plusNanos((long) (durationMs * 1_000_000)),
        durationMs,
        status,
        message,
        parent == null ? null : "3f1c2d4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f",
        parent == null ? null : "lookup_order",
        in == null ? null : "agent-1",
        null,
        in,
        out,
        in == null ? null : "llama3.2:3b",
        parent == null ? null : "3f1c2d4e-5b6a-4c7d-8e9f-0a1b2c3d4e5f",
        in == null ? null : new java.math.BigDecimal("0.000123450"),
        json(attributes),
        json(events),
        parent == null ? JsonValue.NULL : json("{\"service.name\": \"aard\"}"));
  }

  private static JsonValue json(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      return reader.readValue();
    }
  }
}
