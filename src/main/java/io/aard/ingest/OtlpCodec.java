package io.aard.ingest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.stream.JsonReader;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The two OTLP/HTTP encodings of a trace export: binary protobuf, and the OTLP JSON mapping, which
 * is proto3 JSON except that trace and span ids are hex instead of base64. Decoding is the
 * OpenTelemetry protobuf definitions' own; the JSON path rewrites the ids to base64 first.
 */
final class OtlpCodec {

  /** {@code Content-Type} of binary protobuf. */
  static final String PROTOBUF = "application/x-protobuf";

  /** {@code Content-Type} of the OTLP JSON mapping. */
  static final String JSON = "application/json";

  /** Deepest JSON nesting accepted: an OTLP request needs about ten levels, a map value more. */
  static final int MAX_JSON_DEPTH = 64;

  private static final List<String> ID_FIELDS =
      List.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id", "parent_span_id");
  private static final HexFormat HEX = HexFormat.of();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  /** A body that does not decode; the message says why, for a 400. */
  static final class Undecodable extends Exception {
    Undecodable(String message) {
      super(message);
    }
  }

  private OtlpCodec() {}

  static ExportTraceServiceRequest decode(byte[] body, boolean json) throws Undecodable {
    if (!json) {
      try {
        return ExportTraceServiceRequest.parseFrom(body);
      } catch (InvalidProtocolBufferException e) {
        throw new Undecodable("the body is not an ExportTraceServiceRequest: " + e.getMessage());
      }
    }
    String text = new String(body, StandardCharsets.UTF_8);
    checkDepth(text);
    try {
      JsonReader reader = new JsonReader(new StringReader(text));
      JsonElement root = JsonParser.parseReader(reader);
      if (!root.isJsonObject()) {
        throw new Undecodable("the body is not a JSON object");
      }
      hexIdsToBase64(root, 0);
      ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
      PARSER.merge(root.toString(), request);
      return request.build();
    } catch (Undecodable e) {
      throw e;
    } catch (InvalidProtocolBufferException e) {
      throw new Undecodable("the JSON is not an ExportTraceServiceRequest: " + e.getMessage());
    } catch (RuntimeException e) {
      // Gson's JsonParseException and its relatives: not JSON at all.
      throw new Undecodable("the body is not valid JSON");
    }
  }

  /**
   * Refuses JSON nested deeper than {@link #MAX_JSON_DEPTH} before any parser recurses into it: a
   * body of a million brackets must cost a scan, not the request thread's stack.
   */
  private static void checkDepth(String text) throws Undecodable {
    int depth = 0;
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        if (++depth > MAX_JSON_DEPTH) {
          throw new Undecodable("the JSON nests deeper than " + MAX_JSON_DEPTH + " levels");
        }
      } else if (c == '}' || c == ']') {
        depth--;
      }
    }
  }

  /**
   * Rewrites every id field from hex (the OTLP JSON mapping) to base64 (proto3 JSON). A value that
   * is not hex becomes one zero byte, so that the span is refused for its id, not the request.
   */
  private static void hexIdsToBase64(JsonElement element, int depth) throws Undecodable {
    if (depth > MAX_JSON_DEPTH) {
      throw new Undecodable("the JSON nests deeper than " + MAX_JSON_DEPTH + " levels");
    }
    if (element.isJsonArray()) {
      JsonArray array = element.getAsJsonArray();
      for (JsonElement item : array) {
        hexIdsToBase64(item, depth + 1);
      }
    } else if (element.isJsonObject()) {
      JsonObject object = element.getAsJsonObject();
      for (String field : ID_FIELDS) {
        JsonElement id = object.get(field);
        if (id != null && id.isJsonPrimitive() && id.getAsJsonPrimitive().isString()) {
          object.add(field, new JsonPrimitive(base64(id.getAsString())));
        }
      }
      for (var entry : object.entrySet()) {
        if (!ID_FIELDS.contains(entry.getKey())) {
          hexIdsToBase64(entry.getValue(), depth + 1);
        }
      }
    }
  }

  private static String base64(String hex) {
    if (hex.isEmpty()) {
      return "";
    }
    try {
      return Base64.getEncoder().encodeToString(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      return "AA==";
    }
  }

  /** The success answer, with {@code partial_success} when spans were refused. */
  static byte[] response(int rejected, String message, boolean json) {
    ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
    if (rejected > 0) {
      response.setPartialSuccess(
          ExportTracePartialSuccess.newBuilder()
              .setRejectedSpans(rejected)
              .setErrorMessage(message));
    }
    if (!json) {
      return response.build().toByteArray();
    }
    try {
      return PRINTER.print(response).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * An error answer as the OTLP spec asks: a {@code google.rpc.Status} with its code and message,
   * in the request's encoding. Written field by field ({@code code} = 1, {@code message} = 2), as
   * the message type is not among the OpenTelemetry definitions.
   */
  static byte[] status(int grpcCode, String message, boolean json) {
    if (json) {
      JsonObject status = new JsonObject();
      status.addProperty("code", grpcCode);
      status.addProperty("message", message);
      return status.toString().getBytes(StandardCharsets.UTF_8);
    }
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.writeInt32(1, grpcCode);
      out.writeString(2, message);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
