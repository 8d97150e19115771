package io.aard.tracing;

import io.aard.Settings;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.eclipse.persistence.sessions.Connector;
import org.eclipse.persistence.sessions.DatasourceLogin;
import org.eclipse.persistence.sessions.JNDIConnector;
import org.eclipse.persistence.sessions.Login;
import org.eclipse.persistence.sessions.Session;
import org.eclipse.persistence.sessions.SessionEvent;
import org.eclipse.persistence.sessions.SessionEventAdapter;

/**
 * The seam between the persistence unit and database spans: registered in {@code persistence.xml}
 * ({@code eclipselink.session-event-listener}), it replaces, before EclipseLink logs in, the data
 * source of the unit's logins by a {@link TracedDataSource} around the container's one. Liberty
 * does not instrument JDBC and hands EclipseLink its own data source, so this is the one place
 * where every statement of the platform's JPA work passes. Its classes come from {@code
 * org.eclipse.persistence.sessions}, the EclipseLink package Liberty shows every application.
 *
 * <p>With {@code TRACING_DB_STATEMENTS=false} (or tracing off) nothing is wrapped: no cost at all.
 */
public class DatabaseSpansListener extends SessionEventAdapter {

  private static final Logger LOG = Logger.getLogger(DatabaseSpansListener.class.getName());

  /** Created by EclipseLink by name. */
  public DatabaseSpansListener() {}

  @Override
  public void preLogin(SessionEvent event) {
    if (!enabled()) {
      return;
    }
    int wrapped = wrap(event.getSession());
    if (wrapped == 0) {
      // Said once, loudly: TRACING_DB_STATEMENTS=true would otherwise silently trace nothing.
      LOG.warning(
          "No data source of the persistence unit could be wrapped: no database spans ("
              + TracingSettings.DB_STATEMENTS
              + ")");
    } else {
      LOG.info("Database spans: the SQL statements of the persistence unit are traced");
    }
  }

  private static boolean enabled() {
    try {
      TracingSettings settings = TracingSettings.read(Settings.lookup());
      return settings.enabled() && settings.databaseStatements();
    } catch (IllegalArgumentException e) {
      return false; // the start-up check stops the application with the key's name
    } catch (RuntimeException e) {
      // Tracing must never keep the persistence unit from logging in.
      LOG.log(Level.WARNING, "No database spans: the configuration could not be read", e);
      return false;
    }
  }

  /** Wraps the data sources of the session's logins; returns how many were wrapped. */
  static int wrap(Session session) {
    return wrap(session.getDatasourceLogin()) + wrapReadPool(session);
  }

  private static int wrap(Login login) {
    if (login instanceof DatasourceLogin datasourceLogin) {
      Connector connector = datasourceLogin.getConnector();
      if (connector instanceof JNDIConnector jndi) {
        DataSource dataSource = jndi.getDataSource();
        if (dataSource == null && jndi.getName() != null) {
          dataSource = lookUp(jndi.getName()); // a connector named, not given, its data source
        }
        if (dataSource != null && !(dataSource instanceof TracedDataSource)) {
          jndi.setDataSource(TracedDataSource.wrap(dataSource));
          return 1;
        }
      }
    }
    return 0;
  }

  private static DataSource lookUp(String name) {
    try {
      return (DataSource) new InitialContext().lookup(name);
    } catch (NamingException | ClassCastException e) {
      LOG.log(Level.FINE, "No data source named " + name, e);
      return null;
    }
  }

  /**
   * The server session's read pool may have a login of its own (a non-JTA data source). Its class
   * lives in a package Liberty does not show applications, so it is reached by reflection.
   */
  private static int wrapReadPool(Session session) {
    try {
      Object pool = session.getClass().getMethod("getReadConnectionPool").invoke(session);
      if (pool != null) {
        Object login = pool.getClass().getMethod("getLogin").invoke(pool);
        if (login instanceof Login readLogin) {
          return wrap(readLogin);
        }
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.log(Level.FINE, "No read connection pool to trace", e);
    }
    return 0;
  }
}
