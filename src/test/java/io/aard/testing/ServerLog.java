package io.aard.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/** The {@code messages.log} of the Liberty server under test, read as an operator would. */
public final class ServerLog {

  /** The pause between two reads of the log. */
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
    try {
      return await()
          .atMost(deadline)
          .pollDelay(Duration.ZERO)
          .pollInterval(POLL)
          .until(() -> lines().stream().filter(matches).findFirst(), Optional::isPresent)
          .orElseThrow();
    } catch (ConditionTimeoutException e) {
      // Name the file to look at: Awaitility's own message would only say Optional.empty.
      throw new AssertionError("no matching line in " + messagesLog() + " within " + deadline, e);
    }
  }
}
