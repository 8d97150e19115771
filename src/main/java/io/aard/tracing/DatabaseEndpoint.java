package io.aard.tracing;

/**
 * The database a connection talks to, as database spans record it ({@code server.address}, {@code
 * server.port}, {@code db.namespace}), read from the connection's JDBC URL.
 *
 * @param address the host, or {@code null}
 * @param port the port, or {@code -1}
 * @param namespace the database name, or {@code null}
 */
public record DatabaseEndpoint(String address, int port, String namespace) {

  static final DatabaseEndpoint UNKNOWN = new DatabaseEndpoint(null, -1, null);

  private static final String PREFIX = "jdbc:postgresql://";
  private static final int POSTGRESQL_PORT = 5432;

  /**
   * Parses {@code jdbc:postgresql://host[:port][,host2...]/database[?properties]}; the first host
   * is the one recorded. Anything else yields {@link #UNKNOWN}.
   */
  public static DatabaseEndpoint fromUrl(String url) {
    if (url == null || !url.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return UNKNOWN;
    }
    String rest = url.substring(PREFIX.length());
    int query = rest.indexOf('?');
    if (query >= 0) {
      rest = rest.substring(0, query);
    }
    int slash = rest.indexOf('/');
    String hosts = slash < 0 ? rest : rest.substring(0, slash);
    String database = slash < 0 ? null : rest.substring(slash + 1);
    int comma = hosts.indexOf(',');
    String host = comma < 0 ? hosts : hosts.substring(0, comma);
    int port = POSTGRESQL_PORT;
    int colon = host.lastIndexOf(':');
    if (colon >= 0 && colon > host.lastIndexOf(']')) {
      try {
        port = Integer.parseInt(host.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      host = host.substring(0, colon);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new DatabaseEndpoint(
        host.isEmpty() ? null : host,
        port,
        database == null || database.isEmpty() ? null : database);
  }
}
