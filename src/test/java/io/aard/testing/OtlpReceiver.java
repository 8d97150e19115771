package io.aard.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A small OTLP/HTTP trace receiver, for tests that assert what an OpenTelemetry SDK exports.
 *
 * <p>It serves {@code POST /v1/traces} with {@code Content-Type: application/x-protobuf} (gzip
 * accepted), decodes the {@code ExportTraceServiceRequest} with its own protobuf wire-format reader
 * (no protobuf library), keeps every span with its resource, and answers 200 with an empty {@code
 * ExportTraceServiceResponse}. A body it cannot decode gets 400, another media type 415, another
 * path 404, as a collector would answer.
 *
 * <p>Only the fields AARD's tests assert on are decoded (field numbers of {@code
 * opentelemetry/proto/trace/v1/trace.proto} and {@code common/v1/common.proto}); the rest is
 * skipped by wire type.
 *
 * <pre>{@code
 * try (OtlpReceiver otlp = new OtlpReceiver(4318).start()) {
 *   ... let the server export ...
 *   List<OtlpReceiver.Span> spans = otlp.await(s -> s.size() >= 3, Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class OtlpReceiver implements AutoCloseable {

  /** The path OTLP/HTTP exporters post traces to. */
  public static final String TRACES_PATH = "/v1/traces";

  private static final String PROTOBUF = "application/x-protobuf";
  private static final HexFormat HEX = HexFormat.of();

  /**
   * One received span. Ids are lower-case hex; the parent is {@code null} for a root span.
   * Attribute values are {@code String}, {@code Boolean}, {@code Long} or {@code Double}.
   *
   * @param kind {@code INTERNAL}, {@code SERVER}, {@code CLIENT}, {@code PRODUCER}, {@code
   *     CONSUMER} or {@code UNSPECIFIED}
   * @param statusCode {@code UNSET}, {@code OK} or {@code ERROR}
   * @param resource the attributes of the span's resource
   */
  public record Span(
      String traceId,
      String spanId,
      String parentSpanId,
      String name,
      String kind,
      Map<String, Object> attributes,
      String statusCode,
      String statusMessage,
      Map<String, Object> resource) {

    /** An attribute's value, or {@code null}. */
    public Object attribute(String key) {
      return attributes.get(key);
    }

    @Override
    public String toString() {
      return name + " " + spanId + " <- " + parentSpanId + " " + attributes;
    }
  }

  private final int requestedPort;
  private final List<Span> spans = new ArrayList<>();
  private HttpServer server;
  private ExecutorService executor;
  private int requests;

  /**
   * @param port the port to listen on at 127.0.0.1, or 0 for any free one
   */
  public OtlpReceiver(int port) {
    this.requestedPort = port;
  }

  /** Binds the port and starts serving. */
  public OtlpReceiver start() throws IOException {
    server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), requestedPort), 0);
    executor = Executors.newFixedThreadPool(2);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    return this;
  }

  /** The endpoint an exporter is configured with. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + TRACES_PATH;
  }

  /** Every span received so far, in arrival order. */
  public synchronized List<Span> spans() {
    return List.copyOf(spans);
  }

  /** How many export requests were accepted. */
  public synchronized int requests() {
    return requests;
  }

  /**
   * Waits until the spans received so far satisfy {@code done}.
   *
   * @return the spans that satisfied it
   * @throws AssertionError at the deadline, with what had arrived
   */
  public synchronized List<Span> await(Predicate<List<Span>> done, Duration deadline)
      throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (!done.test(List.copyOf(spans))) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "OTLP receiver: condition not met within " + deadline + "; received " + spans);
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return List.copyOf(spans);
  }

  /** The spans of one trace, once {@code done} holds for them. */
  public List<Span> awaitTrace(String traceId, Predicate<List<Span>> done, Duration deadline)
      throws InterruptedException {
    Predicate<List<Span>> ofTrace = all -> done.test(ofTrace(all, traceId));
    return ofTrace(await(ofTrace, deadline), traceId);
  }

  private static List<Span> ofTrace(List<Span> all, String traceId) {
    return all.stream().filter(s -> s.traceId().equals(traceId)).toList();
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
      executor.shutdownNow();
      server = null;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals(TRACES_PATH)) {
        answer(exchange, 404, "text/plain", "404 page not found".getBytes(StandardCharsets.UTF_8));
        return;
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        answer(exchange, 405, "text/plain", new byte[0]);
        return;
      }
      String type =
          Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Type")).orElse("");
      if (!type.startsWith(PROTOBUF)) {
        answer(
            exchange, 415, "text/plain", ("unsupported: " + type).getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] body = readBody(exchange);
      List<Span> received;
      try {
        received = decodeRequest(body);
      } catch (IllegalArgumentException e) {
        answer(exchange, 400, "text/plain", e.getMessage().getBytes(StandardCharsets.UTF_8));
        return;
      }
      synchronized (this) {
        spans.addAll(received);
        requests++;
        notifyAll();
      }
      // An empty ExportTraceServiceResponse: no partial_success field, zero bytes.
      answer(exchange, 200, PROTOBUF, new byte[0]);
    }
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    boolean gzip =
        "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
    try (InputStream in =
        gzip ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
      return in.readAllBytes();
    }
  }

  private static void answer(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      exchange.getResponseBody().write(body);
    }
  }

  /** Decodes an {@code ExportTraceServiceRequest}; visible for the receiver's own test. */
  static List<Span> decodeRequest(byte[] body) {
    List<Span> result = new ArrayList<>();
    Wire request = new Wire(body);
    while (request.hasMore()) {
      int field = request.tag();
      if (field == 1) { // resource_spans
        decodeResourceSpans(request.message(), result);
      } else {
        request.skip();
      }
    }
    return result;
  }

  private static void decodeResourceSpans(Wire resourceSpans, List<Span> into) {
    Map<String, Object> resource = Map.of();
    List<Wire> scopes = new ArrayList<>();
    while (resourceSpans.hasMore()) {
      int field = resourceSpans.tag();
      if (field == 1) { // resource
        resource = decodeResource(resourceSpans.message());
      } else if (field == 2) { // scope_spans
        scopes.add(resourceSpans.message());
      } else {
        resourceSpans.skip();
      }
    }
    for (Wire scope : scopes) {
      while (scope.hasMore()) {
        if (scope.tag() == 2) { // spans
          into.add(decodeSpan(scope.message(), resource));
        } else {
          scope.skip();
        }
      }
    }
  }

  private static Map<String, Object> decodeResource(Wire resource) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    while (resource.hasMore()) {
      if (resource.tag() == 1) { // attributes
        keyValue(resource.message(), attributes);
      } else {
        resource.skip();
      }
    }
    return Collections.unmodifiableMap(attributes);
  }

  private static Span decodeSpan(Wire span, Map<String, Object> resource) {
    String traceId = null;
    String spanId = null;
    String parentSpanId = null;
    String name = "";
    int kind = 0;
    Map<String, Object> attributes = new LinkedHashMap<>();
    String statusCode = "UNSET";
    String statusMessage = "";
    while (span.hasMore()) {
      switch (span.tag()) {
        case 1 -> traceId = HEX.formatHex(span.bytes());
        case 2 -> spanId = HEX.formatHex(span.bytes());
        case 4 -> {
          byte[] parent = span.bytes();
          parentSpanId = parent.length == 0 ? null : HEX.formatHex(parent);
        }
        case 5 -> name = span.string();
        case 6 -> kind = (int) span.varint();
        case 9 -> keyValue(span.message(), attributes);
        case 15 -> {
          Wire status = span.message();
          while (status.hasMore()) {
            switch (status.tag()) {
              case 2 -> statusMessage = status.string();
              case 3 -> statusCode = statusCode((int) status.varint());
              default -> status.skip();
            }
          }
        }
        default -> span.skip();
      }
    }
    if (traceId == null || spanId == null) {
      throw new IllegalArgumentException("a span without trace_id or span_id: " + name);
    }
    return new Span(
        traceId,
        spanId,
        parentSpanId,
        name,
        kind(kind),
        Collections.unmodifiableMap(attributes),
        statusCode,
        statusMessage,
        resource);
  }

  private static void keyValue(Wire keyValue, Map<String, Object> into) {
    String key = null;
    Object value = null;
    while (keyValue.hasMore()) {
      switch (keyValue.tag()) {
        case 1 -> key = keyValue.string();
        case 2 -> value = anyValue(keyValue.message());
        default -> keyValue.skip();
      }
    }
    if (key != null && value != null) {
      into.put(key, value);
    }
  }

  /** A scalar {@code AnyValue}; arrays, lists and bytes are kept as a placeholder string. */
  private static Object anyValue(Wire any) {
    Object value = null;
    while (any.hasMore()) {
      switch (any.tag()) {
        case 1 -> value = any.string();
        case 2 -> value = any.varint() != 0;
        case 3 -> value = any.varint();
        case 4 -> value = Double.longBitsToDouble(any.fixed64());
        default -> {
          any.skip();
          value = "<non-scalar>";
        }
      }
    }
    return value;
  }

  private static String kind(int kind) {
    return switch (kind) {
      case 1 -> "INTERNAL";
      case 2 -> "SERVER";
      case 3 -> "CLIENT";
      case 4 -> "PRODUCER";
      case 5 -> "CONSUMER";
      default -> "UNSPECIFIED";
    };
  }

  private static String statusCode(int code) {
    return switch (code) {
      case 1 -> "OK";
      case 2 -> "ERROR";
      default -> "UNSET";
    };
  }

  /**
   * A reader of the protobuf wire format over one message: {@link #tag()} reads a field's key and
   * returns its number; then exactly one of the value readers, or {@link #skip()}, consumes it.
   */
  static final class Wire {

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    private final byte[] buffer;
    private int position;
    private final int limit;
    private int wireType = -1;

    Wire(byte[] buffer) {
      this(buffer, 0, buffer.length);
    }

    private Wire(byte[] buffer, int offset, int limit) {
      this.buffer = buffer;
      this.position = offset;
      this.limit = limit;
    }

    boolean hasMore() {
      return position < limit;
    }

    int tag() {
      long key = rawVarint();
      wireType = (int) (key & 7);
      int field = (int) (key >>> 3);
      if (field == 0) {
        throw new IllegalArgumentException("field number 0 at byte " + position);
      }
      return field;
    }

    long varint() {
      expect(VARINT);
      return rawVarint();
    }

    long fixed64() {
      expect(FIXED64);
      need(8);
      long value = 0;
      for (int i = 7; i >= 0; i--) {
        value = (value << 8) | (buffer[position + i] & 0xFFL);
      }
      position += 8;
      return value;
    }

    byte[] bytes() {
      expect(LENGTH_DELIMITED);
      int length = length();
      byte[] value = Arrays.copyOfRange(buffer, position, position + length);
      position += length;
      return value;
    }

    String string() {
      return new String(bytes(), StandardCharsets.UTF_8);
    }

    Wire message() {
      expect(LENGTH_DELIMITED);
      int length = length();
      Wire nested = new Wire(buffer, position, position + length);
      position += length;
      return nested;
    }

    void skip() {
      switch (wireType) {
        case VARINT -> rawVarint();
        case FIXED64 -> advance(8);
        case LENGTH_DELIMITED -> advance(length());
        case FIXED32 -> advance(4);
        default -> throw new IllegalArgumentException("unsupported wire type " + wireType);
      }
    }

    private int length() {
      long length = rawVarint();
      if (length < 0 || length > limit - position) {
        throw new IllegalArgumentException("length " + length + " past the end at " + position);
      }
      return (int) length;
    }

    private void advance(int count) {
      need(count);
      position += count;
    }

    private void need(int count) {
      if (count > limit - position) {
        throw new IllegalArgumentException("truncated message at byte " + position);
      }
    }

    private void expect(int type) {
      if (wireType != type) {
        throw new IllegalArgumentException(
            "wire type " + wireType + " where " + type + " was expected at byte " + position);
      }
    }

    private long rawVarint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        need(1);
        byte b = buffer[position++];
        value |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("malformed varint at byte " + position);
    }
  }
}
