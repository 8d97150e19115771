package io.aard.tracing;

import io.opentelemetry.api.trace.Span;
import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} whose statements make database spans ({@link DatabaseSpans}): its
 * connections and statements are thin proxies of the container's, so pooling and the JTA enlistment
 * of the container's data source are untouched. A statement's span covers its {@code execute*}
 * call; a JDBC batch ({@code addBatch} ... {@code executeBatch}) is one span with its size. Result
 * sets are not wrapped: reading rows costs nothing extra.
 */
public final class TracedDataSource implements DataSource {

  private static final Set<String> EXECUTE =
      Set.of("execute", "executeQuery", "executeUpdate", "executeLargeUpdate");
  private static final Set<String> EXECUTE_BATCH = Set.of("executeBatch", "executeLargeBatch");

  private final DataSource delegate;
  private volatile DatabaseEndpoint endpoint;

  private TracedDataSource(DataSource delegate) {
    this.delegate = delegate;
  }

  /** {@code dataSource} with database spans, wrapped once. */
  public static DataSource wrap(DataSource dataSource) {
    return dataSource instanceof TracedDataSource ? dataSource : new TracedDataSource(dataSource);
  }

  /** The data source this one wraps. */
  public DataSource delegate() {
    return delegate;
  }

  @Override
  public Connection getConnection() throws SQLException {
    return connection(delegate.getConnection());
  }

  @Override
  public Connection getConnection(String user, String password) throws SQLException {
    return connection(delegate.getConnection(user, password));
  }

  /** {@code connection} with database spans, for a connection obtained elsewhere. */
  static Connection connection(Connection connection, DatabaseEndpoint endpoint) {
    return (Connection)
        Proxy.newProxyInstance(
            TracedDataSource.class.getClassLoader(),
            new Class<?>[] {Connection.class},
            new ConnectionHandler(connection, endpoint));
  }

  private Connection connection(Connection connection) throws SQLException {
    DatabaseEndpoint known = endpoint;
    if (known == null) {
      // Read once: every connection of a data source goes to the same database.
      known = DatabaseEndpoint.fromUrl(connection.getMetaData().getURL());
      endpoint = known;
    }
    return connection(connection, known);
  }

  private record ConnectionHandler(Connection connection, DatabaseEndpoint endpoint)
      implements InvocationHandler {

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      switch (method.getName()) {
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "traced " + connection;
        default:
          break;
      }
      Object result = call(connection, method, args);
      if (result instanceof Statement statement) {
        Class<?> type = method.getReturnType();
        if (type == Statement.class
            || type == PreparedStatement.class
            || type == CallableStatement.class) {
          String sql = args != null && args.length > 0 && args[0] instanceof String s ? s : null;
          return Proxy.newProxyInstance(
              TracedDataSource.class.getClassLoader(),
              new Class<?>[] {type},
              new StatementHandler(statement, sql, endpoint));
        }
      }
      return result;
    }
  }

  private static final class StatementHandler implements InvocationHandler {
    private final Statement statement;
    private final String preparedSql;
    private final DatabaseEndpoint endpoint;
    private String batchSql;
    private int batched;

    StatementHandler(Statement statement, String preparedSql, DatabaseEndpoint endpoint) {
      this.statement = statement;
      this.preparedSql = preparedSql;
      this.endpoint = endpoint;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      switch (name) {
        case "equals":
          return proxy == args[0];
        case "hashCode":
          return System.identityHashCode(proxy);
        case "toString":
          return "traced " + statement;
        case "addBatch":
          if (batched++ == 0 && args != null && args.length == 1 && args[0] instanceof String s) {
            batchSql = s;
          }
          return call(statement, method, args);
        case "clearBatch":
          batched = 0;
          batchSql = null;
          return call(statement, method, args);
        default:
          break;
      }
      boolean batch = EXECUTE_BATCH.contains(name);
      if (!batch && !EXECUTE.contains(name)) {
        return call(statement, method, args);
      }
      String sql;
      int size;
      if (batch) {
        sql = preparedSql != null ? preparedSql : batchSql;
        size = Math.max(batched, 1);
        batched = 0;
        batchSql = null;
      } else {
        sql = args != null && args.length > 0 && args[0] instanceof String s ? s : preparedSql;
        size = 1;
      }
      Span span = DatabaseSpans.start(sql, size, endpoint);
      if (span == null) {
        return call(statement, method, args);
      }
      try {
        Object result = call(statement, method, args);
        DatabaseSpans.end(span, null);
        return result;
      } catch (Throwable failure) {
        DatabaseSpans.end(span, failure);
        throw failure;
      }
    }
  }

  private static Object call(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return delegate.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || delegate.isWrapperFor(type);
  }
}
