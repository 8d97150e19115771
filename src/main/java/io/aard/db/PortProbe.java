package io.aard.db;

import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * What listens at a host and port: nothing, a PostgreSQL, or something else. Bounded by short
 * timeouts, so that a silent listener never holds up start-up.
 */
final class PortProbe {

  /** What the probe found. */
  enum Found {
    NOTHING,
    POSTGRES,
    OTHER
  }

  private static final int TIMEOUT_MILLIS = 2000;

  // The SSLRequest message of the PostgreSQL protocol: every PostgreSQL answers it with one byte,
  // 'S' or 'N', before any authentication, so it tells a PostgreSQL from anything else.
  private static final int SSL_REQUEST_CODE = 80877103;

  private PortProbe() {}

  static Found probe(String host, int port) {
    Socket socket = new Socket();
    try {
      try {
        socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
      } catch (IOException e) {
        return Found.NOTHING;
      }
      try {
        socket.setSoTimeout(TIMEOUT_MILLIS);
        var out = new DataOutputStream(socket.getOutputStream());
        out.writeInt(8);
        out.writeInt(SSL_REQUEST_CODE);
        out.flush();
        int answer = socket.getInputStream().read();
        return answer == 'S' || answer == 'N' ? Found.POSTGRES : Found.OTHER;
      } catch (IOException e) {
        return Found.OTHER;
      }
    } finally {
      try {
        socket.close();
      } catch (IOException e) {
        // nothing to do: the probe is over
      }
    }
  }
}
