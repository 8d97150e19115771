package io.aard.testing;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A black-box HTTP client of the server under test, speaking JSON as a user's client would. When
 * the system property {@value #API_KEY_PROPERTY} is set (the pom sets it for a server with API
 * keys), every request carries it as {@code Authorization: Bearer <key>}.
 */
public final class Api {

  /** The system property holding the API key every request sends, if any. */
  public static final String API_KEY_PROPERTY = "aard.it.api.key";

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String apiKey;

  public Api() {
    this(defaultBase(), System.getProperty(API_KEY_PROPERTY));
  }

  public Api(String base) {
    this(base, System.getProperty(API_KEY_PROPERTY));
  }

  private Api(String base, String apiKey) {
    this.base = base;
    this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
  }

  /** The same server with another API key, or with none when {@code apiKey} is {@code null}. */
  public Api withApiKey(String apiKey) {
    return new Api(base, apiKey == null ? "" : apiKey);
  }

  private static String defaultBase() {
    return "http://127.0.0.1:" + System.getProperty("aard.it.http.port", "9180");
  }

  /** A response: status, headers and the body, parsed when it is JSON. */
  public record Reply(int status, String body, HttpResponse<String> raw) {

    public JsonObject json() {
      try (var reader = Json.createReader(new StringReader(body))) {
        return reader.readObject();
      }
    }

    public JsonArray array(String name) {
      return json().getJsonArray(name);
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  public Reply get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public Reply post(String path) {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  public Reply post(String path, JsonStructure body) {
    return post(path, body.toString(), "application/json");
  }

  public Reply post(String path, String body, String contentType) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  public Reply send(HttpRequest.Builder request) {
    if (apiKey != null) {
      request.setHeader("Authorization", "Bearer " + apiKey);
    }
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(TIMEOUT).header("Accept", "application/json").build(),
              HttpResponse.BodyHandlers.ofString());
      return new Reply(response.statusCode(), response.body(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public URI uri(String path) {
    return URI.create(base + path);
  }

  /** Creates a task and returns its id. */
  public String createTask(String description) {
    Reply reply =
        post("/api/tasks", Json.createObjectBuilder().add("description", description).build());
    if (reply.status() != 201) {
      throw new AssertionError("creating a task: " + reply);
    }
    return reply.json().getString("id");
  }
}
