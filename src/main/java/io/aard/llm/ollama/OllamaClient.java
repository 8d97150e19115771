package io.aard.llm.ollama;

import io.aard.llm.LanguageModelException;
import io.aard.llm.LanguageModelException.Kind;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls Ollama's {@code /api/chat} with the Jakarta REST client, without streaming. Liberty traces
 * each call as an HTTP client span and propagates {@code traceparent}.
 *
 * <p>Each failure is a {@link ChatFailure} that says whether sending the request again may help: a
 * refused or dropped connection and HTTP 429, 502, 503 (Ollama's answer while a model loads) and
 * 504 may; an unknown host, a timeout and any other HTTP error may not.
 */
final class OllamaClient implements OllamaChat {

  private static final int MAX_QUOTED_BODY = 200;

  /** Too many requests, and the gateway and availability errors of a server that is starting. */
  private static final Set<Integer> TRANSIENT_STATUSES = Set.of(429, 502, 503, 504);

  private final URI baseUrl;

  /**
   * @param baseUrl the server's base URL, without a trailing slash
   */
  OllamaClient(URI baseUrl) {
    this.baseUrl = baseUrl;
  }

  @Override
  public ChatResponse chat(
      String model, List<ChatMessage> messages, JsonObject format, Duration timeout) {
    String body = request(model, messages, format).toString();
    long millis = Math.max(1, timeout.toMillis());
    // One client per request: Jakarta REST sets timeouts only on the builder, and each request
    // may take only what is left of its call's deadline. Connections are not reused anyway.
    Client client =
        ClientBuilder.newBuilder()
            .connectTimeout(millis, TimeUnit.MILLISECONDS)
            .readTimeout(millis, TimeUnit.MILLISECONDS)
            .build();
    try (Response response =
        client
            .target(baseUrl)
            .path("api/chat")
            .request(MediaType.APPLICATION_JSON_TYPE)
            // No pooled keep-alive connections: after an Ollama restart a pooled connection is
            // dead and the next call would fail; a model call dwarfs a loopback connect anyway.
            .header("Connection", "close")
            .post(Entity.entity(body, MediaType.APPLICATION_JSON_TYPE))) {
      String text = response.hasEntity() ? response.readEntity(String.class) : "";
      if (response.getStatusInfo().getFamily() != Response.Status.Family.SUCCESSFUL) {
        throw upstreamError(response.getStatus(), text, response.getHeaderString("Retry-After"));
      }
      return parse(text, model);
    } catch (ProcessingException e) {
      throw failure(e, baseUrl, timeout);
    } finally {
      client.close();
    }
  }

  /** The body of a non-streaming chat request; deterministic (temperature 0). */
  static JsonObject request(String model, List<ChatMessage> messages, JsonObject format) {
    JsonArrayBuilder conversation = Json.createArrayBuilder();
    for (ChatMessage message : messages) {
      conversation.add(
          Json.createObjectBuilder().add("role", message.role()).add("content", message.content()));
    }
    JsonObjectBuilder request =
        Json.createObjectBuilder()
            .add("model", model)
            .add("messages", conversation)
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

  /**
   * An HTTP error, in Ollama's words when its body is {@code {"error": "..."}}; transient for 429,
   * 502, 503 and 504.
   *
   * @param retryAfter the {@code Retry-After} header, or {@code null}; only a number of seconds is
   *     understood
   */
  static ChatFailure upstreamError(int status, String body, String retryAfter) {
    JsonObject json = readObject(body);
    String reason =
        json != null && json.get("error") instanceof JsonString error
            ? error.getString()
            : quote(body);
    return new ChatFailure(
        Kind.UPSTREAM_ERROR,
        "Ollama answered " + status + ": " + reason,
        null,
        Integer.toString(status),
        TRANSIENT_STATUSES.contains(status),
        seconds(retryAfter));
  }

  /**
   * Tells a server that cannot be reached (transient when it refused or dropped the connection)
   * from one that is too slow.
   *
   * @param timeout the request's timeout, for the message
   */
  static ChatFailure failure(ProcessingException e, URI baseUrl, Duration timeout) {
    String where = "Ollama at " + address(baseUrl);
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof UnknownHostException) {
        return unavailable(where + " is unreachable: unknown host", e, "unknown_host", false);
      }
      if (cause instanceof NoRouteToHostException) {
        return unavailable(
            where + " is unreachable: no route to host", e, "no_route_to_host", false);
      }
      if (cause instanceof ConnectException) {
        return unavailable(
            where + " is unreachable: connection refused", e, "connection_refused", true);
      }
      if (isTimeout(cause)) {
        return new ChatFailure(
            Kind.TIMEOUT,
            "Ollama did not answer within " + seconds(timeout),
            e,
            "timeout",
            false,
            null);
      }
      if (isDropped(cause)) {
        return unavailable(
            where + " dropped the connection: " + cause.getMessage(), e, "connection_reset", true);
      }
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return unavailable(
        where + " could not be reached: " + root.getMessage(), e, root.getClass().getName(), false);
  }

  private static ChatFailure unavailable(
      String message, Throwable cause, String errorType, boolean transientFailure) {
    return new ChatFailure(Kind.UNAVAILABLE, message, cause, errorType, transientFailure, null);
  }

  /** The server closed the connection before answering: a restart, or a crashed runner. */
  private static boolean isDropped(Throwable cause) {
    String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
    return cause instanceof EOFException
        // Apache HttpClient's NoHttpResponseException: the server closed without a response.
        || cause.getClass().getSimpleName().contains("NoHttpResponse")
        || (cause instanceof IOException
            && (message.contains("connection reset")
                || message.contains("broken pipe")
                || message.contains("end of file")
                || message.contains("premature eof")));
  }

  /** Whole seconds as {@code 7 s}, anything else to the millisecond as {@code 2.5 s}. */
  private static String seconds(Duration duration) {
    if (duration.toMillis() % 1000 == 0) {
      return duration.toSeconds() + " s";
    }
    return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
  }

  /** A {@code Retry-After} in seconds; {@code null} when absent or an HTTP date. */
  private static Duration seconds(String retryAfter) {
    if (retryAfter == null) {
      return null;
    }
    try {
      long seconds = Long.parseLong(retryAfter.strip());
      return seconds >= 0 ? Duration.ofSeconds(seconds) : null;
    } catch (NumberFormatException e) {
      return null;
    }
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
