package io.aard.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.eclipse.persistence.sessions.DatabaseLogin;
import org.eclipse.persistence.sessions.DatabaseSession;
import org.eclipse.persistence.sessions.JNDIConnector;
import org.eclipse.persistence.sessions.Project;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The seam on a real EclipseLink session (not logged in): its data source is wrapped once. */
class DatabaseSpansListenerTest {

  @Test
  void theLoginsDataSourceIsWrappedOnce() {
    PGSimpleDataSource container = new PGSimpleDataSource();
    DatabaseLogin login = new DatabaseLogin();
    JNDIConnector connector = new JNDIConnector(container);
    login.setConnector(connector);
    DatabaseSession session = new Project(login).createDatabaseSession();

    assertEquals(1, DatabaseSpansListener.wrap(session));
    TracedDataSource traced = assertInstanceOf(TracedDataSource.class, connector.getDataSource());
    assertSame(container, traced.delegate());
    assertEquals(0, DatabaseSpansListener.wrap(session), "a second log-in wraps nothing more");
    assertSame(traced, connector.getDataSource());
  }
}
