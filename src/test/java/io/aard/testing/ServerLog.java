package io.aard.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/** The {@code messages.log} of the Liberty server under test, read as an operator would. */
public final class ServerLog {

  private static final Duration POLL = Duration.ofMillis(100);

  private ServerLog() {}

  /** {@code <wlp>/usr/servers/<server>/logs/messages.log} of the server this test runs against. */
  public static Path messagesLog() {
    return Path.of(
        System.getProperty("aard.it.wlp.home", "target/liberty/wlp"),
        "usr",
        "servers",
        System.getProperty("aard.it.server", "aardIT"),
        "logs",
        "messages.log");
  }

  /** The lines written so far; a line cut by a concurrent write may be incomplete. */
  public static List<String> lines() throws IOException {
    Path log = messagesLog();
    if (!Files.exists(log)) {
      return List.of();
    }
    return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
  }

  /**
   * Polls until a line matches, for lines that Liberty's logging writes asynchronously.
   *
   * @throws AssertionError at the deadline
   */
  public static String awaitLine(Predicate<String> matches, Duration deadline) throws IOException {
    long end = System.nanoTime() + deadline.toNanos();
    while (true) {
      for (String line : lines()) {
        if (matches.test(line)) {
          return line;
        }
      }
      if (System.nanoTime() > end) {
        throw new AssertionError("no matching line in " + messagesLog() + " within " + deadline);
      }
      // A short pause between polls of the deadline-bounded loop.
      LockSupport.parkNanos(POLL.toNanos());
    }
  }
}
