-- The span store: one row per span, partitioned by month on start_time (SPEC §5).

CREATE TABLE execution_traces (
    trace_id       text             NOT NULL CHECK (trace_id ~ '^[0-9a-f]{32}$'),
    span_id        text             NOT NULL CHECK (span_id ~ '^[0-9a-f]{16}$'),
    parent_span_id text                      CHECK (parent_span_id ~ '^[0-9a-f]{16}$'),
    operation_name text             NOT NULL,
    service_name   text             NOT NULL,
    span_kind      text             NOT NULL,
    start_time     timestamptz      NOT NULL,
    end_time       timestamptz      NOT NULL,
    duration_ms    double precision NOT NULL,
    status         text             NOT NULL CHECK (status IN ('OK', 'ERROR', 'UNSET')),
    status_message text,
    task_id        uuid,
    plan_id        uuid,
    agent_id       uuid,
    tool_id        uuid,
    input_tokens   bigint,
    output_tokens  bigint,
    attributes     jsonb            NOT NULL DEFAULT '{}',
    events         jsonb            NOT NULL DEFAULT '[]',
    resource       jsonb            NOT NULL DEFAULT '{}',
    -- A retried batch resends the same start time, so this key deduplicates it; its leading
    -- column also serves every lookup by trace_id.
    PRIMARY KEY (trace_id, span_id, start_time)
) PARTITION BY RANGE (start_time);

CREATE TABLE execution_traces_default PARTITION OF execution_traces DEFAULT;

CREATE INDEX execution_traces_start_time_idx ON execution_traces (start_time);
CREATE INDEX execution_traces_task_id_idx ON execution_traces (task_id, start_time) WHERE task_id IS NOT NULL;
CREATE INDEX execution_traces_plan_id_idx ON execution_traces (plan_id, start_time) WHERE plan_id IS NOT NULL;
CREATE INDEX execution_traces_agent_id_idx ON execution_traces (agent_id, start_time) WHERE agent_id IS NOT NULL;
CREATE INDEX execution_traces_tool_id_idx ON execution_traces (tool_id, start_time) WHERE tool_id IS NOT NULL;
CREATE INDEX execution_traces_status_idx ON execution_traces (status, start_time);
CREATE INDEX execution_traces_operation_name_idx ON execution_traces (operation_name, start_time);
CREATE INDEX execution_traces_attributes_idx ON execution_traces USING gin (attributes jsonb_path_ops);

-- Creates the partition of the month that starts on month_start (UTC), moving any rows that
-- had landed in the default partition for that month, so that creating a partition late never
-- fails. Returns false when it already exists.
CREATE FUNCTION aard_create_trace_partition(month_start date) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    first_day date := date_trunc('month', month_start)::date;
    part text := format('execution_traces_y%sm%s', to_char(first_day, 'YYYY'), to_char(first_day, 'MM'));
    lo timestamptz := make_timestamptz(extract(year FROM first_day)::int, extract(month FROM first_day)::int, 1, 0, 0, 0, 'UTC');
    hi timestamptz := lo + interval '1 month';
BEGIN
    IF to_regclass(part) IS NOT NULL THEN
        RETURN false;
    END IF;
    -- Serialise concurrent creators (several AARD instances on one database).
    PERFORM pg_advisory_xact_lock(hashtext('aard_trace_partitions'));
    IF to_regclass(part) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE execution_traces INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
    EXECUTE format(
        'WITH moved AS (DELETE FROM execution_traces_default WHERE start_time >= %L AND start_time < %L RETURNING *) '
        'INSERT INTO %I SELECT * FROM moved', lo, hi, part);
    EXECUTE format('ALTER TABLE execution_traces ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, lo, hi);
    RETURN true;
END
$$;

-- Drops monthly partitions that ended more than keep_months months before the current month,
-- and deletes default-partition rows as old. Returns the names of the dropped partitions.
CREATE FUNCTION aard_drop_trace_partitions(keep_months int) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    cutoff timestamptz := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                          - make_interval(months => keep_months);
    part record;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('aard_trace_partitions'));
    FOR part IN
        SELECT c.relname
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'execution_traces'::regclass
          AND c.relname ~ '^execution_traces_y[0-9]{4}m[0-9]{2}$'
        ORDER BY c.relname
    LOOP
        IF make_timestamptz(substr(part.relname, 19, 4)::int, substr(part.relname, 24, 2)::int, 1, 0, 0, 0, 'UTC')
           + interval '1 month' <= cutoff THEN
            EXECUTE format('DROP TABLE %I', part.relname);
            RETURN NEXT part.relname;
        END IF;
    END LOOP;
    DELETE FROM execution_traces_default WHERE start_time < cutoff;
END
$$;

SELECT aard_create_trace_partition(((now() AT TIME ZONE 'UTC')::date + make_interval(months => m))::date)
FROM generate_series(-1, 2) AS m;
