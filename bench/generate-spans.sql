-- Loads realistic spans into execution_traces at INSERT ... SELECT speed (no client round trips).
-- psql variables: spans (total, approximate), days (the window ending now), seed (an integer;
-- change it to append a second, distinct batch), first / count (the slice of traces to
-- generate: run slices concurrently to use several cores).
--
-- The shape follows what AARD writes: a root SERVER span per request, planning and execution
-- spans below it, LLM spans with token counts, HTTP client spans; 10-50 spans a trace (30 on
-- average), 70 % of traces with task and plan ids (two traces a plan: planning and execution),
-- five agents and six tools on the spans under a step, ~3 % ERROR spans, all below the root,
-- ~470-byte attributes and a resource on every span; the task's spans carry the task id as their
-- session (gen_ai.conversation.id), and the model calls a model and a cost.

\set ON_ERROR_STOP on

INSERT INTO execution_traces (
    trace_id, span_id, parent_span_id, operation_name, service_name, span_kind, start_time,
    end_time, duration_ms, status, status_message, task_id, plan_id, agent_id, tool_id,
    input_tokens, output_tokens, attributes, events, resource, model, session_id, cost_usd)
SELECT
    t.trace_id,
    s.span_id,
    s.parent_span_id,
    s.operation_name,
    'aard',
    s.span_kind,
    s.start_time,
    s.start_time + make_interval(secs => s.duration_ms / 1000.0),
    s.duration_ms,
    s.status,
    CASE WHEN s.status = 'ERROR' THEN 'step failed: division by zero' END,
    t.task_id,
    t.plan_id,
    s.agent_id,
    s.tool_id,
    s.input_tokens,
    s.output_tokens,
    jsonb_strip_nulls(jsonb_build_object(
        'aard.task_id', t.task_id,
        'aard.plan_id', t.plan_id,
        'aard.agent_id', s.agent_id,
        'aard.tool_id', s.tool_id,
        'aard.step_index', CASE WHEN s.agent_id IS NOT NULL THEN s.i % 7 END,
        'enduser.id', CASE WHEN s.i = 1 THEN 'user-' || (t.n % 5000) END,
        'http.request.method', CASE WHEN s.span_kind <> 'INTERNAL' THEN 'POST' END,
        'http.route', CASE WHEN s.span_kind = 'SERVER' THEN t.route END,
        'http.response.status_code', CASE WHEN s.span_kind <> 'INTERNAL' THEN 200 END,
        'url.scheme', 'http',
        'server.address', CASE WHEN s.span_kind = 'CLIENT' THEN 'localhost' ELSE '127.0.0.1' END,
        'server.port', CASE WHEN s.span_kind = 'CLIENT' THEN 11434 ELSE 9080 END,
        'gen_ai.operation.name', CASE WHEN s.input_tokens IS NOT NULL THEN 'generate' END,
        'gen_ai.provider.name', CASE WHEN s.input_tokens IS NOT NULL THEN 'ollama' END,
        'gen_ai.request.model', CASE WHEN s.input_tokens IS NOT NULL THEN 'llama3.2' END,
        'gen_ai.response.model', CASE WHEN s.input_tokens IS NOT NULL THEN 'llama3.2:3b' END,
        'gen_ai.conversation.id', t.task_id,
        'gen_ai.usage.input_tokens', s.input_tokens,
        'gen_ai.usage.output_tokens', s.output_tokens,
        'gen_ai.response.finish_reasons', CASE WHEN s.input_tokens IS NOT NULL THEN jsonb_build_array('stop') END,
        'thread.name', 'Default Executor-thread-' || (t.n % 64),
        'thread.id', 40 + t.n % 64,
        'code.namespace', 'io.aard.' || split_part(s.operation_name, '.', 1),
        'code.function', coalesce(split_part(s.operation_name, '.', 2), 'handle'),
        'network.protocol.version', '1.1',
        'user_agent.original', CASE WHEN s.span_kind = 'SERVER' THEN 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36' END)),
    CASE WHEN s.status = 'ERROR' THEN jsonb_build_array(jsonb_build_object(
        'name', 'exception', 'time', s.start_time,
        'attributes', jsonb_build_object('exception.type', 'java.lang.ArithmeticException',
                                         'exception.message', 'division by zero')))
         ELSE '[]'::jsonb END,
    '{"service.name": "aard", "service.version": "1.0.0-SNAPSHOT", "host.name": "bench-1",
      "telemetry.sdk.name": "opentelemetry", "telemetry.sdk.language": "java",
      "telemetry.sdk.version": "1.48.0"}'::jsonb,
    CASE WHEN s.input_tokens IS NOT NULL THEN 'llama3.2:3b' END,
    t.task_id,
    -- A local model costs 0, which is still a cost to sum (llama* ships at 0).
    CASE WHEN s.input_tokens IS NOT NULL THEN 0::numeric END
FROM (
    SELECT
        n,
        md5(:seed || '/t' || n) AS trace_id,
        -- Newest traces have the smallest n; a little jitter so that starts are not on a grid.
        now() - make_interval(secs => (n + (hashint4(n * 7 + :seed) % 1000) / 1000.0)
                                       * (:days * 86400.0) / (:spans / 30.0)) AS start_time,
        10 + abs(hashint4(n + :seed)) % 41 AS span_count,
        CASE WHEN abs(hashint4(n * 3 + :seed)) % 10 < 7
             THEN md5(:seed || '/task' || (n / 2))::uuid END AS task_id,
        CASE WHEN abs(hashint4(n * 3 + :seed)) % 10 < 7
             THEN md5(:seed || '/plan' || (n / 2))::uuid END AS plan_id,
        CASE WHEN n % 2 = 0 THEN '/api/plans/{plan_id}/execute' ELSE '/api/tasks/{task_id}/plan' END AS route,
        -- Root durations from 20 ms to ~30 s, skewed short.
        20 + power(abs(hashint4(n * 5 + :seed)) % 1000 / 1000.0, 3) * 30000 AS duration_ms
    FROM generate_series(:first, :first + :count - 1) AS n
) AS t
CROSS JOIN LATERAL (
    SELECT
        i,
        substr(md5(t.trace_id || '/' || i), 1, 16) AS span_id,
        CASE WHEN i > 1 THEN substr(md5(t.trace_id || '/' || (i / 2)), 1, 16) END AS parent_span_id,
        CASE
            WHEN i = 1 THEN 'POST ' || t.route
            WHEN t.n % 2 = 1 THEN (ARRAY['planning.generate_plan', 'planning.analyze_task',
                'planning.decompose_task', 'ollama.generate', 'builtin.generate', 'POST'])[1 + i % 6]
            ELSE (ARRAY['execution.execute_step', 'ollama.generate', 'tool.calculator',
                'tool.text', 'GET', 'tool.llm', 'builtin.generate'])[1 + i % 7]
        END AS operation_name,
        CASE WHEN i = 1 THEN 'SERVER' WHEN i % 6 = 5 OR i % 7 = 4 THEN 'CLIENT' ELSE 'INTERNAL' END AS span_kind,
        -- Spans of the tree start in order inside the root and end before it.
        t.start_time + make_interval(secs => t.duration_ms * (i - 1) / t.span_count / 1000.0) AS start_time,
        CASE WHEN i = 1 THEN t.duration_ms
             ELSE t.duration_ms / t.span_count * (0.2 + (abs(hashint4(i * 31 + t.n)) % 800) / 1000.0) END AS duration_ms,
        CASE WHEN i > 3 AND abs(hashint4(t.n * 17 + i)) % 1000 < 32 THEN 'ERROR'
             WHEN i % 3 = 0 THEN 'OK' ELSE 'UNSET' END AS status,
        CASE WHEN i > 1 AND t.n % 2 = 0 AND t.plan_id IS NOT NULL
             THEN md5('agent' || ((t.n / 2 + i / 8) % 5))::uuid END AS agent_id,
        CASE WHEN i > 1 AND t.n % 2 = 0 AND t.plan_id IS NOT NULL
             THEN md5('tool' || ((t.n + i / 4) % 6))::uuid END AS tool_id,
        CASE WHEN (t.n % 2 = 1 AND i % 6 IN (3, 4)) OR (t.n % 2 = 0 AND i % 7 IN (1, 6))
             THEN 50 + abs(hashint4(t.n + i)) % 2000 END AS input_tokens,
        CASE WHEN (t.n % 2 = 1 AND i % 6 IN (3, 4)) OR (t.n % 2 = 0 AND i % 7 IN (1, 6))
             THEN 10 + abs(hashint4(t.n * i)) % 800 END AS output_tokens
    FROM generate_series(1, t.span_count) AS i
) AS s;
