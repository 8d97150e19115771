-- Indexes for the trace query API (SPEC §6, io.aard.trace.TraceStore).
--
-- A trace is listed through its root span: the span without a parent, or a SERVER span whose
-- parent is not stored (a caller's traceparent). These partial indexes hold one entry per trace
-- (plus nested SERVER spans, which are rare), so that:
--   * a search walks traces newest first with a backward scan of (start_time, trace_id), the
--     keyset of its cursor, reading no table row until a page is chosen;
--   * a search that first collects matching spans finds each trace's root with one probe.
-- The INCLUDE columns make both index-only for the root checks and the duration filters.
CREATE INDEX execution_traces_root_start_idx ON execution_traces (start_time, trace_id)
    INCLUDE (span_id, parent_span_id, duration_ms)
    WHERE parent_span_id IS NULL OR span_kind = 'SERVER';

CREATE INDEX execution_traces_root_trace_idx ON execution_traces (trace_id)
    INCLUDE (span_id, start_time, parent_span_id, duration_ms)
    WHERE parent_span_id IS NULL OR span_kind = 'SERVER';

-- Errors are what an engineer hunts: "does this trace have an ERROR span" is one probe into a
-- small index instead of reading every span of the trace.
CREATE INDEX execution_traces_error_trace_idx ON execution_traces (trace_id)
    WHERE status = 'ERROR';

-- Statistics read every span of a window (a day is ~330,000 spans at ten million): this index
-- holds the columns they aggregate and group by, so the scan is index-only and reads ~150 bytes a
-- span instead of the whole row with its jsonb.
CREATE INDEX execution_traces_stats_idx ON execution_traces (start_time)
    INCLUDE (operation_name, service_name, status, duration_ms, input_tokens, output_tokens,
             agent_id, tool_id, trace_id);
