package io.aard.viewer;

import io.aard.testing.SpanTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A trace of exactly {@link #SPANS} spans written straight into {@code execution_traces}, shaped
 * like a long plan execution: one request span, {@link #STEPS} sequential steps, in each step tool
 * calls that run two at a time, and under each call overlapping model calls with tokens. Two spans
 * fail: a step and, in another step, one model call.
 */
final class BigTrace {

  static final int SPANS = 5_000;
  static final int STEPS = 40;
  private static final int CALLS_PER_STEP = 8;
  private static final int GENERATIONS_PER_CALL = 15;

  private static final String INSERT =
      "INSERT INTO execution_traces (trace_id, span_id, parent_span_id, operation_name,"
          + " service_name, span_kind, start_time, end_time, duration_ms, status, status_message,"
          + " task_id, plan_id, input_tokens, output_tokens, attributes, events, resource)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?::jsonb)";
  private static final String RESOURCE =
      "{\"service.name\": \"aard\", \"telemetry.sdk.language\": \"java\","
          + " \"telemetry.sdk.name\": \"opentelemetry\"}";

  final String traceId = hex(16);
  final UUID taskId = UUID.randomUUID();
  final UUID planId = UUID.randomUUID();

  /** The failing step's span id. */
  String failingStep;

  /** The last span written: the last row of the fully expanded waterfall. */
  String lastSpan;

  private final Instant start = Instant.now().minus(2, ChronoUnit.MINUTES);
  private int written;

  /** Writes the trace; returns its id. */
  String write() throws SQLException {
    try (Connection c = SpanTable.connect();
        PreparedStatement insert = c.prepareStatement(INSERT)) {
      c.setAutoCommit(false);
      String root =
          span(
              insert,
              null,
              "POST /api/plans/{plan_id}/execute",
              "SERVER",
              0,
              STEPS * 500_000L + 20_000,
              null,
              "{\"http.request.method\": \"POST\", \"http.route\":"
                  + " \"/api/plans/{plan_id}/execute\", \"http.response.status_code\": 200}",
              0,
              0);
      for (int s = 0; s < STEPS && written < SPANS; s++) {
        long stepStart = 10_000 + s * 500_000L;
        boolean stepFails = s == STEPS / 2;
        String step =
            span(
                insert,
                root,
                "execution.execute_step",
                "INTERNAL",
                stepStart,
                490_000,
                stepFails ? "division by zero" : null,
                "{\"aard.step_index\": " + s + ", \"gen_ai.tool.name\": \"calculator\"}",
                0,
                0);
        if (stepFails) {
          failingStep = step;
        }
        for (int k = 0; k < CALLS_PER_STEP && written < SPANS; k++) {
          // Calls run two at a time; the second of a pair is the longer one.
          long callStart = stepStart + 2_000 + (k / 2) * 120_000L;
          String call =
              span(
                  insert,
                  step,
                  "tool.call",
                  "INTERNAL",
                  callStart,
                  100_000 + (k % 2) * 15_000,
                  null,
                  "{\"tool\": \"llm\", \"call\": " + k + "}",
                  0,
                  0);
          for (int g = 0; g < GENERATIONS_PER_CALL && written < SPANS; g++) {
            boolean generationFails = s == STEPS - 5 && k == 3 && g == 7;
            span(
                insert,
                call,
                "builtin.generate",
                "CLIENT",
                callStart + g * 5_000L,
                10_000 + (g * 7_000L) % 20_000,
                generationFails ? "model unavailable" : null,
                "{\"gen_ai.operation.name\": \"chat\", \"gen_ai.provider.name\": \"builtin\","
                    + " \"gen_ai.request.model\": \"builtin-rules\", \"gen_ai.response.model\":"
                    + " \"builtin-rules\", \"gen_ai.usage.input_tokens\": "
                    + (20 + g)
                    + ", \"gen_ai.usage.output_tokens\": "
                    + (40 + g)
                    + "}",
                20 + g,
                40 + g);
          }
        }
      }
      insert.executeBatch();
      c.commit();
    }
    if (written != SPANS) {
      throw new IllegalStateException("seeded " + written + " spans, not " + SPANS);
    }
    return traceId;
  }

  /** Adds one span to the batch; times are microseconds from the trace's start. */
  private String span(
      PreparedStatement insert,
      String parent,
      String name,
      String kind,
      long startMicros,
      long durationMicros,
      String error,
      String attributes,
      long inputTokens,
      long outputTokens)
      throws SQLException {
    String spanId = hex(8);
    Instant begin = start.plus(startMicros, ChronoUnit.MICROS);
    Instant end = begin.plus(durationMicros, ChronoUnit.MICROS);
    int i = 1;
    insert.setString(i++, traceId);
    insert.setString(i++, spanId);
    insert.setString(i++, parent);
    insert.setString(i++, name);
    insert.setString(i++, "aard");
    insert.setString(i++, kind);
    insert.setObject(i++, begin.atOffset(ZoneOffset.UTC));
    insert.setObject(i++, end.atOffset(ZoneOffset.UTC));
    insert.setDouble(i++, durationMicros / 1000.0);
    insert.setString(i++, error == null ? "OK" : "ERROR");
    insert.setString(i++, error);
    insert.setObject(i++, taskId);
    insert.setObject(i++, planId);
    insert.setObject(i++, inputTokens > 0 ? inputTokens : null, java.sql.Types.BIGINT);
    insert.setObject(i++, outputTokens > 0 ? outputTokens : null, java.sql.Types.BIGINT);
    insert.setString(i++, attributes);
    insert.setString(i++, error == null ? "[]" : exception(end, error));
    insert.setString(i++, RESOURCE);
    insert.addBatch();
    written++;
    lastSpan = spanId;
    if (written % 1_000 == 0) {
      insert.executeBatch();
    }
    return spanId;
  }

  private static String exception(Instant at, String message) {
    return "[{\"name\": \"exception\", \"time\": \""
        + at
        + "\", \"attributes\": {\"exception.type\": \"java.lang.ArithmeticException\","
        + " \"exception.message\": \""
        + message
        + "\", \"exception.stacktrace\": \"java.lang.ArithmeticException: "
        + message
        + "\\n\\tat io.aard.tool.Arithmetic.divide(Arithmetic.java:88)"
        + "\\n\\tat io.aard.tool.CalculatorTool.execute(CalculatorTool.java:41)\"}}]";
  }

  /**
   * Random ids, deliberately unseeded: they are identifiers, not generated input, and the
   * integration database keeps earlier runs' rows, so a fixed seed would repeat an earlier trace.
   */
  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
