package io.aard.llm.ollama;

import io.aard.llm.LanguageModelException;
import io.aard.llm.LanguageModelException.Kind;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InterruptedIOException;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls Ollama's {@code /api/chat} with the Jakarta REST client, without streaming. Liberty traces
 * each call as an HTTP client span and propagates {@code traceparent}.
 *
 * <p>One instance holds one {@link Client} for its whole life; the client is thread-safe, and
 * {@link #close()} releases its connections.
 */
final class OllamaClient implements OllamaChat, AutoCloseable {

  private static final int MAX_QUOTED_BODY = 200;

  private final URI baseUrl;
  private final Duration timeout;
  private final Client client;
  private final WebTarget chat;

  /**
   * @param baseUrl the server's base URL, without a trailing slash
   * @param timeout the connect and read timeout of each request
   */
  OllamaClient(URI baseUrl, Duration timeout) {
    this.baseUrl = baseUrl;
    this.timeout = timeout;
    this.client =
        ClientBuilder.newBuilder()
            .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .build();
    this.chat = client.target(baseUrl).path("api/chat");
  }

  @Override
  public ChatResponse chat(String model, String system, String user, JsonObject format) {
    String body = request(model, system, user, format).toString();
    try (Response response =
        chat.request(MediaType.APPLICATION_JSON_TYPE)
            // No pooled keep-alive connections: after an Ollama restart a pooled connection is
            // dead and the next call would fail; a model call dwarfs a loopback connect anyway.
            .header("Connection", "close")
            .post(Entity.entity(body, MediaType.APPLICATION_JSON_TYPE))) {
      String text = response.hasEntity() ? response.readEntity(String.class) : "";
      if (response.getStatusInfo().getFamily() != Response.Status.Family.SUCCESSFUL) {
        throw upstreamError(response.getStatus(), text);
      }
      return parse(text, model);
    } catch (ProcessingException e) {
      throw failure(e, baseUrl, timeout);
    }
  }

  @Override
  public void close() {
    client.close();
  }

  /** The body of a non-streaming chat request; deterministic (temperature 0). */
  static JsonObject request(String model, String system, String user, JsonObject format) {
    JsonObjectBuilder request =
        Json.createObjectBuilder()
            .add("model", model)
            .add(
                "messages",
                Json.createArrayBuilder()
                    .add(Json.createObjectBuilder().add("role", "system").add("content", system))
                    .add(Json.createObjectBuilder().add("role", "user").add("content", user)))
            .add("stream", false);
    if (format != null) {
      request.add("format", format);
    }
    return request.add("options", Json.createObjectBuilder().add("temperature", 0)).build();
  }

  /**
   * Reads a successful chat response.
   *
   * @throws LanguageModelException of kind {@code INVALID_RESPONSE} when the body is not a chat
   *     response, or {@code UPSTREAM_ERROR} when it carries Ollama's {@code error}
   */
  static ChatResponse parse(String body, String requestedModel) {
    JsonObject json = readObject(body);
    if (json == null) {
      throw new LanguageModelException(
          Kind.INVALID_RESPONSE, "Ollama answered with a body that is not JSON: " + quote(body));
    }
    if (JsonValue.FALSE.equals(json.get("done"))) {
      // A streamed chunk: Ollama ignored stream=false, or something in between rewrote it.
      throw new LanguageModelException(
          Kind.INVALID_RESPONSE, "Ollama's answer is incomplete (done=false): " + quote(body));
    }
    if (json.get("message") instanceof JsonObject message
        && message.get("content") instanceof JsonString content) {
      String model =
          json.get("model") instanceof JsonString name ? name.getString() : requestedModel;
      return new ChatResponse(
          model, content.getString(), count(json, "prompt_eval_count"), count(json, "eval_count"));
    }
    if (json.get("error") instanceof JsonString error) {
      throw new LanguageModelException(
          Kind.UPSTREAM_ERROR, "Ollama answered with an error: " + error.getString());
    }
    throw new LanguageModelException(
        Kind.INVALID_RESPONSE, "Ollama's answer has no message.content: " + quote(body));
  }

  /** An HTTP error, in Ollama's words when its body is {@code {"error": "..."}}. */
  static LanguageModelException upstreamError(int status, String body) {
    JsonObject json = readObject(body);
    String reason =
        json != null && json.get("error") instanceof JsonString error
            ? error.getString()
            : quote(body);
    return new LanguageModelException(
        Kind.UPSTREAM_ERROR, "Ollama answered " + status + ": " + reason);
  }

  /** Tells a server that cannot be reached from one that is too slow. */
  static LanguageModelException failure(ProcessingException e, URI baseUrl, Duration timeout) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      String reason = unreachableReason(cause);
      if (reason != null) {
        return new LanguageModelException(
            Kind.UNAVAILABLE, "Ollama at " + address(baseUrl) + " is unreachable: " + reason, e);
      }
      if (isTimeout(cause)) {
        return new LanguageModelException(
            Kind.TIMEOUT, "Ollama did not answer within " + timeout.toSeconds() + " s", e);
      }
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return new LanguageModelException(
        Kind.UNAVAILABLE,
        "Ollama at " + address(baseUrl) + " could not be reached: " + root.getMessage(),
        e);
  }

  private static String unreachableReason(Throwable cause) {
    if (cause instanceof UnknownHostException) {
      return "unknown host";
    }
    if (cause instanceof NoRouteToHostException) {
      return "no route to host";
    }
    if (cause instanceof ConnectException) {
      return "connection refused";
    }
    return null;
  }

  private static boolean isTimeout(Throwable cause) {
    return cause instanceof SocketTimeoutException
        || cause instanceof HttpTimeoutException
        || cause instanceof TimeoutException
        // Client implementations have their own timeout exceptions (Apache's
        // ConnectTimeoutException, for one); their names give them away.
        || cause.getClass().getSimpleName().contains("Timeout")
        || (cause instanceof InterruptedIOException
            && String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains("timed out"));
  }

  /** {@code scheme://host:port}, with the scheme's default port when the URL names none. */
  private static String address(URI baseUrl) {
    int port = baseUrl.getPort();
    if (port < 0) {
      port = "https".equalsIgnoreCase(baseUrl.getScheme()) ? 443 : 80;
    }
    return baseUrl.getScheme() + "://" + baseUrl.getHost() + ":" + port;
  }

  private static long count(JsonObject json, String field) {
    return json.get(field) instanceof JsonNumber number ? number.longValue() : 0;
  }

  private static JsonObject readObject(String body) {
    try (JsonReader reader = Json.createReader(new StringReader(body))) {
      JsonValue value = reader.readValue();
      return value instanceof JsonObject object ? object : null;
    } catch (JsonException e) {
      return null;
    }
  }

  private static String quote(String body) {
    String trimmed = body.strip();
    if (trimmed.isEmpty()) {
      return "(empty body)";
    }
    return trimmed.length() <= MAX_QUOTED_BODY
        ? trimmed
        : trimmed.substring(0, MAX_QUOTED_BODY) + "...";
  }
}
