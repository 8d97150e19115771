package io.aard.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local HTTP server whose {@code /slow} answers 200 and then one byte a second for as long as it
 * is told: a step's {@code http_get} that runs as long as a test needs, the way a server that
 * trickles bytes keeps a client's read timeout from ever firing.
 */
public final class TrickleServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  /** Starts on a free port of 127.0.0.1; {@code /slow} trickles for {@code duration}. */
  public TrickleServer(Duration duration) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(threads);
    server.createContext(
        "/slow",
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream body = exchange.getResponseBody()) {
            for (long i = 0; i < duration.toSeconds(); i++) {
              body.write('.');
              body.flush();
              // The server's own pace, one byte a second: what the step has to survive.
              TimeUnit.SECONDS.sleep(1);
            }
          } catch (IOException | InterruptedException e) {
            // The client went away, or the test is over.
          }
        });
    server.start();
  }

  /** The URL of the trickling resource. */
  public String slowUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/slow";
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
