package io.aard.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A server of the Liberty the pom installed, driven by its {@code bin/server} command: for tests
 * that start, stop and kill a server of their own beside the one Arquillian manages.
 */
public final class LibertyServer {

  private final String name;
  private final Duration timeout;
  private final String logPrefix;

  /**
   * @param name the server's name under {@code usr/servers}
   * @param timeout how long one command may take
   * @param logPrefix the prefix of each command's log file beside the Liberty installation
   */
  public LibertyServer(String name, Duration timeout, String logPrefix) {
    this.name = name;
    this.timeout = timeout;
    this.logPrefix = logPrefix;
  }

  /** The Liberty installation the pom prepared. */
  public static File wlp() {
    return new File(System.getProperty("aard.it.wlp.home", "target/liberty/wlp"));
  }

  /** The server's directory. */
  public Path dir() {
    return wlp().toPath().resolve("usr/servers/" + name);
  }

  /**
   * Runs {@code server <action>}, bounded in time; a failing {@code start} fails the test (a {@code
   * stop} of a server that is not running is fine).
   */
  public void run(String action) throws IOException, InterruptedException {
    File log = new File(wlp().getParentFile(), logPrefix + "-" + action + "-" + name + ".log");
    Process process =
        new ProcessBuilder(new File(wlp(), "bin/server").getPath(), action, name)
            .redirectErrorStream(true)
            .redirectOutput(log)
            .start();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("server " + action + " " + name + " did not return; see " + log);
    }
    assertTrue(
        process.exitValue() == 0 || action.equals("stop"),
        "server " + action + " " + name + " exited " + process.exitValue() + "; see " + log);
  }

  /** Kills the server's JVM as a crash would: no shutdown hook, no PreDestroy, no last write. */
  public void kill() throws Exception {
    File pidFile = new File(wlp(), "usr/servers/.pid/" + name + ".pid");
    long pid = Long.parseLong(Files.readString(pidFile.toPath()).strip());
    ProcessHandle process = ProcessHandle.of(pid).orElseThrow();
    process.destroyForcibly();
    process.onExit().get(30, TimeUnit.SECONDS);
  }
}
