package io.aard.ingest;

import io.aard.tracing.DatabaseSpans;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * Writes span rows into {@code execution_traces} through the application's persistence unit, in its
 * transactions. One statement per batch: the rows travel as one array per column and are unnested
 * by PostgreSQL, which costs the client far less than an entity per span or a statement per row.
 * {@code ON CONFLICT DO NOTHING} on the table's key makes a retried batch harmless.
 */
@ApplicationScoped
public class JpaSpanInserter implements SpanInserter {

  static final String INSERT =
      "INSERT INTO execution_traces (trace_id, span_id, parent_span_id, operation_name,"
          + " service_name, span_kind, start_time, end_time, duration_ms, status, status_message,"
          + " task_id, plan_id, agent_id, tool_id, input_tokens, output_tokens, attributes, events,"
          + " resource, model, session_id, cost_usd)"
          + " SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
          + " ?::text[], ?::text[]::timestamptz[], ?::text[]::timestamptz[],"
          + " ?::text[]::float8[], ?::text[], ?::text[], ?::text[], ?::text[],"
          + " ?::text[], ?::text[], ?::text[]::int8[], ?::text[]::int8[],"
          + " ?::text[]::jsonb[], ?::text[]::jsonb[], ?::text[]::jsonb[],"
          + " ?::text[], ?::text[], ?::text[]::numeric[])"
          + " ON CONFLICT (trace_id, span_id, start_time) DO NOTHING";

  /**
   * Span batches commit without waiting for their WAL flush: a PostgreSQL crash may lose the last
   * fraction of a second of spans, and in exchange span writes do not queue behind, or add to, the
   * disk flushes that the platform's own commits wait for.
   */
  static final String ASYNCHRONOUS_COMMIT = "SET LOCAL synchronous_commit TO OFF";

  @PersistenceContext(unitName = "aard")
  EntityManager em;

  @Override
  @Transactional
  public void write(List<SpanRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    String[][] columns = columns(rows);
    // The exporter's own statements: never database spans, whatever span is current (no feedback).
    try (Scope untraced = DatabaseSpans.untraced()) {
      em.createNativeQuery(ASYNCHRONOUS_COMMIT).executeUpdate();
      var insert = em.createNativeQuery(INSERT);
      for (int c = 0; c < SpanRow.COLUMNS; c++) {
        insert.setParameter(c + 1, columns[c]);
      }
      insert.executeUpdate();
    }
  }

  /** The rows as one array per column, in table order. */
  static String[][] columns(List<SpanRow> rows) {
    String[][] columns = new String[SpanRow.COLUMNS][rows.size()];
    for (int r = 0; r < rows.size(); r++) {
      String[] values = rows.get(r).values();
      for (int c = 0; c < SpanRow.COLUMNS; c++) {
        columns[c][r] = values[c];
      }
    }
    return columns;
  }
}
