-- Holding against abuse (issue 17).

-- Settings every AARD instance on this database shares. The key that signs trace search cursors
-- is random per installation, made here once, so that every instance and every restart accepts
-- the cursors of the others and nobody can mint one from the source code.
-- gen_random_uuid() draws from PostgreSQL's strong random source: two give 244 random bits.
CREATE TABLE aard_settings (
    name  text PRIMARY KEY,
    value text NOT NULL
);
INSERT INTO aard_settings (name, value)
VALUES ('trace_cursor_key', replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', ''));

-- Partition DDL never makes inserts and reads queue behind it: each function waits at most
-- lock_timeout for its lock and fails with SQLSTATE 55P03 instead (SpanPartitions retries later).
-- Without the limit, a DROP waiting behind the longest running query holds up every insert
-- queued behind the DROP. DETACH ... CONCURRENTLY would avoid the ACCESS EXCLUSIVE lock, but
-- PostgreSQL refuses it while a default partition exists, and execution_traces has one.
CREATE OR REPLACE FUNCTION aard_create_trace_partition(month_start date) RETURNS boolean
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
    PERFORM set_config('lock_timeout', '2s', true);
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

-- Detaches, then drops, the monthly partitions that ended more than keep_months months before the
-- current month, each lock waited for at most lock_timeout; deletes default-partition rows as old.
CREATE OR REPLACE FUNCTION aard_drop_trace_partitions(keep_months int) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    cutoff timestamptz := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                          - make_interval(months => keep_months);
    part record;
BEGIN
    PERFORM set_config('lock_timeout', '2s', true);
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
            EXECUTE format('ALTER TABLE execution_traces DETACH PARTITION %I', part.relname);
            EXECUTE format('DROP TABLE %I', part.relname);
            RETURN NEXT part.relname;
        END IF;
    END LOOP;
    DELETE FROM execution_traces_default WHERE start_time < cutoff;
END
$$;
