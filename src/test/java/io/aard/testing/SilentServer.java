package io.aard.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real socket on 127.0.0.1 that accepts every connection, reads what is sent and never answers:
 * an OTLP collector that hangs, the way a stalled proxy or a collector stuck in a pause does. The
 * client's own timeouts are the only way out.
 */
public final class SilentServer implements AutoCloseable {

  private final ServerSocket socket;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicLong bytesRead = new AtomicLong();

  /** Starts listening on a free port. */
  public SilentServer() {
    try {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    threads.submit(this::accept);
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket client = socket.accept();
        open.add(client);
        connections.incrementAndGet();
        threads.submit(() -> swallow(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  /**
   * Reads the request and whatever follows, so the client's writes never block; answers nothing.
   */
  private void swallow(Socket client) {
    byte[] buffer = new byte[8192];
    try (InputStream in = client.getInputStream()) {
      int n;
      while ((n = in.read(buffer)) >= 0) {
        bytesRead.addAndGet(n);
      }
    } catch (IOException e) {
      // the client gave up, or the test is over
    }
  }

  /** The URL of an OTLP/HTTP traces endpoint on this socket. */
  public String tracesUrl() {
    return "http://127.0.0.1:" + socket.getLocalPort() + "/v1/traces";
  }

  /** Connections accepted so far. */
  public int connections() {
    return connections.get();
  }

  /** Bytes received so far, over every connection. */
  public long bytesRead() {
    return bytesRead.get();
  }

  @Override
  public void close() {
    try {
      socket.close();
      for (Socket client : open) {
        client.close();
      }
    } catch (IOException e) {
      // closing anyway
    }
    threads.shutdownNow();
  }
}
