-- Spans received by OTLP (POST /v1/traces) carry the ids of other systems: a tool named
-- lookup_order, another platform's agent id. They are rarely UUIDs, and every id filter of the
-- trace API must find them, so the id columns hold any text (at most 256 characters, enforced by
-- the writer). AARD's own ids stay the canonical lower-case UUID text that uuid::text gives.
--
-- On a partitioned table ALTER COLUMN ... TYPE reaches every partition and rebuilds the indexes
-- that hold these columns (the partial id indexes, execution_traces_stats_idx and
-- execution_traces_error_span_idx): the table is rewritten once, under an exclusive lock, so a
-- large store needs a maintenance window for this migration. A UUID as text takes 37 bytes instead
-- of 16 in those indexes.
ALTER TABLE execution_traces
    ALTER COLUMN task_id  TYPE text USING task_id::text,
    ALTER COLUMN plan_id  TYPE text USING plan_id::text,
    ALTER COLUMN agent_id TYPE text USING agent_id::text,
    ALTER COLUMN tool_id  TYPE text USING tool_id::text;
