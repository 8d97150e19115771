package io.aard.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
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
 * accepted), decodes the {@code ExportTraceServiceRequest} with the OpenTelemetry protobuf
 * definitions (the same that AARD's own receiver uses), keeps every span with its resource, and
 * answers 200 with an empty {@code ExportTraceServiceResponse}. A body it cannot decode gets 400,
 * another media type 415, another path 404, as a collector would answer.
 *
 * <p>Only the fields AARD's tests assert on are kept.
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

  /**
   * Decodes an {@code ExportTraceServiceRequest} with the OpenTelemetry protobuf definitions;
   * visible for the receiver's own test.
   *
   * @throws IllegalArgumentException when the body is not one, or a span lacks its ids
   */
  static List<Span> decodeRequest(byte[] body) {
    ExportTraceServiceRequest request;
    try {
      request = ExportTraceServiceRequest.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not an ExportTraceServiceRequest: " + e.getMessage());
    }
    List<Span> result = new ArrayList<>();
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      Map<String, Object> resource = attributes(resourceSpans.getResource().getAttributesList());
      for (ScopeSpans scope : resourceSpans.getScopeSpansList()) {
        for (io.opentelemetry.proto.trace.v1.Span span : scope.getSpansList()) {
          result.add(span(span, resource));
        }
      }
    }
    return result;
  }

  private static Span span(
      io.opentelemetry.proto.trace.v1.Span span, Map<String, Object> resource) {
    if (span.getTraceId().isEmpty() || span.getSpanId().isEmpty()) {
      throw new IllegalArgumentException("a span without trace_id or span_id: " + span.getName());
    }
    return new Span(
        HEX.formatHex(span.getTraceId().toByteArray()),
        HEX.formatHex(span.getSpanId().toByteArray()),
        span.getParentSpanId().isEmpty()
            ? null
            : HEX.formatHex(span.getParentSpanId().toByteArray()),
        span.getName(),
        kind(span.getKind()),
        attributes(span.getAttributesList()),
        statusCode(span.getStatus().getCode()),
        span.getStatus().getMessage(),
        resource);
  }

  private static Map<String, Object> attributes(List<KeyValue> keyValues) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (KeyValue keyValue : keyValues) {
      attributes.put(keyValue.getKey(), value(keyValue.getValue()));
    }
    return Collections.unmodifiableMap(attributes);
  }

  /** A scalar {@code AnyValue}; arrays, lists and bytes are kept as a placeholder string. */
  private static Object value(AnyValue any) {
    return switch (any.getValueCase()) {
      case STRING_VALUE -> any.getStringValue();
      case BOOL_VALUE -> any.getBoolValue();
      case INT_VALUE -> any.getIntValue();
      case DOUBLE_VALUE -> any.getDoubleValue();
      default -> "<non-scalar>";
    };
  }

  private static String kind(io.opentelemetry.proto.trace.v1.Span.SpanKind kind) {
    return switch (kind) {
      case SPAN_KIND_INTERNAL -> "INTERNAL";
      case SPAN_KIND_SERVER -> "SERVER";
      case SPAN_KIND_CLIENT -> "CLIENT";
      case SPAN_KIND_PRODUCER -> "PRODUCER";
      case SPAN_KIND_CONSUMER -> "CONSUMER";
      default -> "UNSPECIFIED";
    };
  }

  private static String statusCode(Status.StatusCode code) {
    return switch (code) {
      case STATUS_CODE_OK -> "OK";
      case STATUS_CODE_ERROR -> "ERROR";
      default -> "UNSET";
    };
  }
}
