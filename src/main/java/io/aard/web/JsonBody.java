package io.aard.web;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a JSON request body with AARD's own limits and errors: at most {@link #MAX_BYTES}, UTF-8 as
 * RFC 8259 requires whatever charset a client claims, and every malformation a 400 that says so,
 * never a reader failure that the runtime would turn into a 500.
 */
public final class JsonBody {

  private JsonBody() {}

  /** The body as a JSON object. */
  public static JsonObject object(InputStream body, String example) {
    byte[] bytes = read(body);
    if (bytes.length == 0) {
      throw ApiException.badRequest("body", "a JSON body is required, e.g. " + example);
    }
    JsonValue value;
    try (var reader =
        Json.createReader(
            new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8))) {
      value = reader.readValue();
    } catch (RuntimeException e) {
      // Parsson signals malformed input, and input nested too deeply, with several exception
      // types; to the client each is a body that is not usable JSON.
      throw ApiException.badRequest("body", "the body is not valid JSON, e.g. " + example);
    }
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw ApiException.badRequest("body", "the body must be a JSON object, e.g. " + example);
    }
    return value.asJsonObject();
  }

  private static byte[] read(InputStream body) {
    if (body == null) {
      return new byte[0];
    }
    try {
      // RequestLimitFilter has already read it, at most 64 KiB, and hands it on from memory.
      return body.readAllBytes();
    } catch (IOException e) {
      throw ApiException.badRequest("body", "the body could not be read");
    }
  }
}
