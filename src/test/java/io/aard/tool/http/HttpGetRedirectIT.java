package io.aard.tool.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.aard.testing.Api;
import io.aard.testing.Deployments;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The http_get tool against a local HTTP server on 127.0.0.1, which the builtin IT server allows
 * ({@code HTTP_TOOL_ALLOWED_HOSTS=127.0.0.1,::1,localhost}): redirects within the list are
 * followed, redirects off it refused.
 */
@ExtendWith(ArquillianExtension.class)
class HttpGetRedirectIT {

  @Deployment(testable = false)
  static WebArchive deployment() {
    return Deployments.aard();
  }

  private final Api api = new Api();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private int port;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    port = server.getAddress().getPort();
    server.createContext("/to-metadata", e -> redirect(e, "http://169.254.169.254/latest/"));
    server.createContext("/to-example", e -> redirect(e, "https://example.com/"));
    server.createContext("/to-local", e -> redirect(e, "/final"));
    server.createContext("/to-localhost", e -> redirect(e, "http://localhost:" + port + "/final"));
    server.createContext("/loop", e -> redirect(e, "/loop"));
    server.createContext(
        "/final",
        e -> {
          requests.add("final Host=" + e.getRequestHeaders().getFirst("Host"));
          byte[] body = "arrived".getBytes(StandardCharsets.UTF_8);
          e.sendResponseHeaders(200, body.length);
          e.getResponseBody().write(body);
          e.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void redirect(HttpExchange exchange, String location) throws IOException {
    requests.add(exchange.getRequestURI().getPath());
    exchange.getResponseHeaders().add("Location", location);
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  /** Plans and runs "Fetch {url}"; returns the executed plan. */
  private JsonObject fetch(String path) {
    String taskId = api.createTask("Fetch http://127.0.0.1:" + port + path);
    JsonObject plan = api.post("/api/tasks/" + taskId + "/plan").json();
    assertEquals("http_get", plan.getJsonArray("steps").getJsonObject(0).getString("tool_name"));
    return api.post("/api/plans/" + plan.getString("id") + "/execute").json();
  }

  @Test
  void redirectToADisallowedHostIsRefused() {
    JsonObject result = fetch("/to-example");
    assertEquals("FAILED", result.getString("status"), result.toString());
    assertTrue(
        result.getString("error").contains("redirect to https://example.com/ refused"),
        result.toString());
    assertEquals(List.of("/to-example"), requests);
  }

  @Test
  void redirectToCloudMetadataIsRefused() {
    JsonObject result = fetch("/to-metadata");
    assertEquals("FAILED", result.getString("status"), result.toString());
    assertTrue(result.getString("error").contains("169.254.169.254"), result.toString());
  }

  @Test
  void redirectWithinTheListIsFollowed() {
    JsonObject result = fetch("/to-local");
    assertEquals("COMPLETED", result.getString("status"), result.toString());
    String output = result.getJsonArray("steps").getJsonObject(0).getString("output");
    assertTrue(output.startsWith("HTTP 200\nredirected to http://127.0.0.1:" + port + "/final\n"));
    assertTrue(output.endsWith("arrived"), output);
  }

  @Test
  void listedNameIsFetchedAtTheCheckedAddressWithItsOwnHostHeader() {
    JsonObject result = fetch("/to-localhost");
    assertEquals("COMPLETED", result.getString("status"), result.toString());
    assertTrue(requests.contains("final Host=localhost:" + port), requests.toString());
  }

  @Test
  void redirectLoopStopsAfterFiveRedirects() {
    JsonObject result = fetch("/loop");
    assertEquals("FAILED", result.getString("status"), result.toString());
    assertTrue(result.getString("error").contains("more than 5 times"), result.toString());
    assertEquals(6, requests.size(), requests.toString());
  }
}
