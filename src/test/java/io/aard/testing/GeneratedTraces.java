package io.aard.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Traces of any size written straight into {@code execution_traces} by one {@code INSERT ...
 * SELECT} over {@code generate_series}, in a month far ahead that no real span and no default
 * window reaches: a wide trace (one root, every other span its child) or a chain (each span the
 * parent of the next). Span {@code g} (from 1) has the span id {@code g} in hex and starts {@code g
 * / 2} microseconds after the trace, so pairs of spans share a start and the span id orders them;
 * every 1,000th span is an ERROR.
 */
public final class GeneratedTraces {

  /** The first instant of the month the traces sit in. */
  public static final Instant MONTH = Instant.parse("2038-03-01T00:00:00Z");

  /** Every 1,000th span fails. */
  public static final int ERROR_EVERY = 1_000;

  private static final String INSERT =
      "INSERT INTO execution_traces (trace_id, span_id, parent_span_id, operation_name,"
          + " service_name, span_kind, start_time, end_time, duration_ms, status, status_message,"
          + " attributes, events, resource)"
          + " SELECT ?, lpad(to_hex(g), 16, '0'),"
          + " CASE WHEN g = 1 THEN NULL WHEN ?::boolean THEN lpad(to_hex(g - 1), 16, '0')"
          + " ELSE lpad(to_hex(1), 16, '0') END,"
          + " CASE WHEN g = 1 THEN 'POST /api/plans/{plan_id}/execute' ELSE 'tool.call' END,"
          + " ?, CASE WHEN g = 1 THEN 'SERVER' ELSE 'INTERNAL' END,"
          + " ?::timestamptz + (g / 2) * interval '1 microsecond',"
          + " ?::timestamptz + (g / 2) * interval '1 microsecond' + interval '1 millisecond',"
          + " 1.0, CASE WHEN g % "
          + ERROR_EVERY
          + " = 0 THEN 'ERROR' ELSE 'OK' END,"
          + " CASE WHEN g % "
          + ERROR_EVERY
          + " = 0 THEN 'failed on purpose' END,"
          + " jsonb_build_object('index', g), '[]', jsonb_build_object('service.name', ?)"
          + " FROM generate_series(1, ?) AS g";

  private GeneratedTraces() {}

  /** A trace of {@code spans} spans: a root and its {@code spans - 1} children; returns its id. */
  public static String wide(String service, int spans) throws SQLException {
    return write(service, spans, false);
  }

  /** A trace of {@code spans} spans, each the parent of the next; returns its id. */
  public static String chain(String service, int spans) throws SQLException {
    return write(service, spans, true);
  }

  /** The ERROR spans among the first {@code spans} of a generated trace. */
  public static long errorsAmong(long spans) {
    return spans / ERROR_EVERY;
  }

  /**
   * Deletes the traces an earlier run wrote under {@code service}, and makes sure the month's
   * partition exists.
   */
  public static void reset(String service) throws SQLException {
    try (Connection c = SpanTable.connect()) {
      try (PreparedStatement ps =
          c.prepareStatement("SELECT aard_create_trace_partition(?::date)")) {
        ps.setObject(1, LocalDate.ofInstant(MONTH, ZoneOffset.UTC));
        ps.execute();
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "DELETE FROM execution_traces WHERE start_time >= ?::timestamptz"
                  + " AND start_time < ?::timestamptz + interval '1 month' AND service_name = ?")) {
        ps.setObject(1, MONTH.atOffset(ZoneOffset.UTC));
        ps.setObject(2, MONTH.atOffset(ZoneOffset.UTC));
        ps.setString(3, service);
        ps.execute();
      }
    }
  }

  private static String write(String service, int spans, boolean chain) throws SQLException {
    String traceId = hex(16);
    Instant start =
        MONTH.plus(ThreadLocalRandom.current().nextInt(20 * 24 * 60), ChronoUnit.MINUTES);
    try (Connection c = SpanTable.connect();
        PreparedStatement ps = c.prepareStatement(INSERT)) {
      int i = 1;
      ps.setString(i++, traceId);
      ps.setBoolean(i++, chain);
      ps.setString(i++, service);
      ps.setObject(i++, start.atOffset(ZoneOffset.UTC));
      ps.setObject(i++, start.atOffset(ZoneOffset.UTC));
      ps.setString(i++, service);
      ps.setInt(i, spans);
      ps.executeUpdate();
    }
    return traceId;
  }

  /**
   * Random ids, deliberately unseeded: the integration database keeps earlier runs' rows, so a
   * fixed seed would repeat an earlier trace.
   */
  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
