package io.aard.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.aard.testing.OtlpReceiver.Span;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OtlpReceiverTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";
  private static final String PARENT_ID = "53995c3f42cd8ad8";

  private final HttpClient http = HttpClient.newHttpClient();
  private OtlpReceiver receiver;

  @BeforeEach
  void start() throws Exception {
    receiver = new OtlpReceiver(0).start();
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  @Test
  void decodesTheSpansOfAnExportRequestAndAnswersWithAnEmptyResponse() throws Exception {
    HttpResponse<byte[]> response = post(exportRequest(), "application/x-protobuf");
    assertEquals(200, response.statusCode());
    assertEquals(0, response.body().length);
    assertEquals("application/x-protobuf", response.headers().firstValue("Content-Type").get());

    List<Span> spans = receiver.await(s -> !s.isEmpty(), Duration.ofSeconds(5));
    assertEquals(2, spans.size());
    Span child = spans.get(0);
    assertEquals(TRACE_ID, child.traceId());
    assertEquals(SPAN_ID, child.spanId());
    assertEquals(PARENT_ID, child.parentSpanId());
    assertEquals("ollama.generate", child.name());
    assertEquals("CLIENT", child.kind());
    assertEquals("ollama", child.attribute("gen_ai.provider.name"));
    assertEquals(42L, child.attribute("gen_ai.usage.input_tokens"));
    assertEquals(true, child.attribute("aard.flag"));
    assertEquals(0.5, child.attribute("aard.ratio"));
    assertEquals("ERROR", child.statusCode());
    assertEquals("HTTP 500", child.statusMessage());
    assertEquals("aard", child.resource().get("service.name"));
    Span root = spans.get(1);
    assertNull(root.parentSpanId());
    assertEquals("SERVER", root.kind());
    assertEquals("UNSET", root.statusCode());
    assertEquals(1, receiver.requests());
  }

  @Test
  void otherMediaTypeIs415() throws Exception {
    assertEquals(415, post("{}".getBytes(StandardCharsets.UTF_8), "application/json").statusCode());
    assertEquals(0, receiver.requests());
  }

  @Test
  void undecodableBodyIs400() throws Exception {
    byte[] truncated = {0x0A, 0x10, 0x01};
    assertEquals(400, post(truncated, "application/x-protobuf").statusCode());
  }

  private HttpResponse<byte[]> post(byte[] body, String type) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(receiver.endpoint()))
            .timeout(Duration.ofSeconds(5))
            .header("Content-Type", type)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** An ExportTraceServiceRequest as the SDK encodes it, with fields the receiver must skip. */
  private static byte[] exportRequest() {
    HexFormat hex = HexFormat.of();
    byte[] resource = message(1, keyValue("service.name", string(1, "aard")));
    byte[] child =
        concat(
            bytes(1, hex.parseHex(TRACE_ID)),
            bytes(2, hex.parseHex(SPAN_ID)),
            string(3, ""),
            bytes(4, hex.parseHex(PARENT_ID)),
            string(5, "ollama.generate"),
            varint(6, 3),
            fixed64(7, 1_700_000_000_000_000_000L),
            fixed64(8, 1_700_000_000_500_000_000L),
            message(9, keyValue("gen_ai.provider.name", string(1, "ollama"))),
            message(9, keyValue("gen_ai.usage.input_tokens", varint(3, 42))),
            message(9, keyValue("aard.flag", varint(2, 1))),
            message(9, keyValue("aard.ratio", fixed64(4, Double.doubleToLongBits(0.5)))),
            varint(10, 0),
            message(15, concat(string(2, "HTTP 500"), varint(3, 2))),
            fixed32(16, 0x101));
    byte[] root =
        concat(
            bytes(1, hex.parseHex(TRACE_ID)),
            bytes(2, hex.parseHex(PARENT_ID)),
            string(5, "POST /api/tasks/{task_id}/plan"),
            varint(6, 2));
    byte[] scope = message(1, string(1, "io.openliberty.microprofile.telemetry"));
    byte[] scopeSpans = concat(scope, message(2, child), message(2, root));
    byte[] resourceSpans = concat(message(1, resource), message(2, scopeSpans));
    return message(1, resourceSpans);
  }

  private static byte[] keyValue(String key, byte[] anyValue) {
    return concat(string(1, key), message(2, anyValue));
  }

  private static byte[] string(int field, String value) {
    return bytes(field, value.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] message(int field, byte[] value) {
    return bytes(field, value);
  }

  private static byte[] bytes(int field, byte[] value) {
    return concat(rawVarint(field << 3 | 2), rawVarint(value.length), value);
  }

  private static byte[] varint(int field, long value) {
    return concat(rawVarint(field << 3), rawVarint(value));
  }

  private static byte[] fixed64(int field, long value) {
    return concat(
        rawVarint(field << 3 | 1),
        ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
  }

  private static byte[] fixed32(int field, int value) {
    return concat(
        rawVarint(field << 3 | 5),
        ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).array());
  }

  private static byte[] rawVarint(long value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((value & ~0x7FL) != 0) {
      out.write((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    out.write((int) value);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
