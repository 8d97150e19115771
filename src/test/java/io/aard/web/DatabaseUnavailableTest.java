package io.aard.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.persistence.PersistenceException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class DatabaseUnavailableTest {

  @Test
  void refusedConnectionWrappedByJpaIsUnavailable() {
    var refused = new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
    assertTrue(DatabaseUnavailable.causedBy(new PersistenceException("insert", refused)));
  }

  @Test
  void databaseNotAcceptingConnectionsIsUnavailable() {
    var closed =
        new SQLException(
            "FATAL: database \"aard\" is not currently accepting connections", "55000");
    assertTrue(DatabaseUnavailable.causedBy(new RuntimeException(new RuntimeException(closed))));
  }

  @Test
  void terminatedBackendIsUnavailable() {
    var killed = new SQLException("terminating connection due to administrator command", "57P01");
    assertTrue(DatabaseUnavailable.causedBy(new IllegalStateException(killed)));
  }

  @Test
  void poolTimeoutIsUnavailable() {
    assertTrue(DatabaseUnavailable.causedBy(new SQLTransientConnectionException("pool timeout")));
  }

  @Test
  void refusedSocketOutsideJdbcIsNotTheDatabase() {
    assertFalse(
        DatabaseUnavailable.causedBy(new RuntimeException(new ConnectException("http_get"))));
  }

  @Test
  void chainedNextExceptionIsSearched() {
    var batch = new SQLException("batch failed", "XX000");
    batch.setNextException(new SQLException("I/O error", "08006"));
    assertTrue(DatabaseUnavailable.causedBy(new PersistenceException(batch)));
  }

  @Test
  void otherDatabaseErrorsAreNotUnavailable() {
    assertFalse(DatabaseUnavailable.causedBy(new SQLException("duplicate key", "23505")));
    assertFalse(DatabaseUnavailable.causedBy(new SQLException("some other state", "55000")));
    assertFalse(DatabaseUnavailable.causedBy(new IllegalStateException("no cause")));
  }

  @Test
  void causeCyclesEnd() {
    var a = new RuntimeException("a");
    var b = new RuntimeException("b", a);
    a.initCause(b);
    assertFalse(DatabaseUnavailable.causedBy(a));
  }
}
