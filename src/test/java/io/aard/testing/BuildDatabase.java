package io.aard.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * The integration tests' PostgreSQL when the machine has none: so that {@code mvn verify} passes
 * with nothing but Java and Maven. Opened once per failsafe run (a JUnit Platform session, before
 * any test class and so before Arquillian starts a server): when nothing answers on 127.0.0.1:5432
 * it starts an embedded PostgreSQL on a free port, points the test servers at it (their server.env)
 * and the tests' own connections (system property {@code aard.it.db.port}, read by {@link
 * #port()}), and stops it when the run ends. With a PostgreSQL on 5432, it does nothing: the suite
 * runs as it always has. Unit tests (surefire) never start one.
 */
public final class BuildDatabase implements LauncherSessionListener {

  /** The system property that carries the port of the tests' PostgreSQL. */
  public static final String PORT_PROPERTY = "aard.it.db.port";

  private static final int DEFAULT_PORT = 5432;

  private EmbeddedPostgres postgres;

  /** The port of the PostgreSQL the integration tests use, on 127.0.0.1. */
  public static int port() {
    return Integer.getInteger(PORT_PROPERTY, DEFAULT_PORT);
  }

  /** A JDBC URL of {@code database} on the tests' PostgreSQL. */
  public static String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
  }

  @Override
  public void launcherSessionOpened(LauncherSession session) {
    String wlp = System.getProperty("aard.it.wlp.home");
    // aard.it.db.embedded=true uses an embedded one even beside a PostgreSQL (to try this path).
    boolean forced = Boolean.getBoolean("aard.it.db.embedded");
    if (wlp == null
        || (answers(DEFAULT_PORT) && !forced)
        || System.getProperty(PORT_PROPERTY) != null) {
      return; // not the integration tests, or a PostgreSQL is there
    }
    try {
      Path data = Path.of(wlp).getParent().resolve("it-postgres");
      postgres =
          EmbeddedPostgres.builder()
              .setPort(freePort())
              .setDataDirectory(data.resolve("data").toFile())
              .setOverrideWorkingDirectory(data.resolve("bin").toFile())
              .setCleanDataDirectory(true)
              .start();
      int port = postgres.getPort();
      System.setProperty(PORT_PROPERTY, Integer.toString(port));
      pointServersAt(Path.of(wlp).resolve("usr/servers"), port);
      System.out.println(
          "[BuildDatabase] "
              + (forced ? "aard.it.db.embedded=true" : "no PostgreSQL on 127.0.0.1:5432")
              + ": the integration tests use an embedded one on port "
              + port);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the tests' embedded PostgreSQL", e);
    }
  }

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException e) {
        System.err.println("[BuildDatabase] cannot stop the embedded PostgreSQL: " + e);
      }
      postgres = null;
    }
  }

  /** The servers that share the tests' database get its port; the embedded IT's has its own. */
  private static void pointServersAt(Path servers, int port) throws IOException {
    for (String name :
        List.of(
            System.getProperty("aard.it.server", "aardIT"),
            System.getProperty("aard.it.restart.server", "aardRestartIT"))) {
      Path env = servers.resolve(name).resolve("server.env");
      if (!Files.isRegularFile(env)) {
        continue;
      }
      String kept =
          Files.readAllLines(env).stream()
              .filter(line -> !line.startsWith("AARD_DB_PORT="))
              .collect(Collectors.joining("\n"));
      Files.writeString(env, kept + "\nAARD_DB_PORT=" + port + "\n");
    }
  }

  private static boolean answers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
