-- What a model call cost, which model it was, and which session (conversation, task) it belongs
-- to (issue 16; docs/api.md §5, §6 and §9).

-- The span writers fill these when they store a span (io.aard.ingest.GenAiColumns):
--   model      gen_ai.response.model, else gen_ai.request.model
--   session_id gen_ai.conversation.id, else session.id (at most 256 characters)
--   cost_usd   the span's own gen_ai.usage.cost, else its tokens priced from model_prices as the
--              table stood when the span was stored; NULL when the span has no tokens or no
--              price matches. Money is numeric, never a float: sums are exact.
-- Without a default, ADD COLUMN only changes the catalog: no partition is rewritten.
ALTER TABLE execution_traces
    ADD COLUMN model      text,
    ADD COLUMN session_id text,
    ADD COLUMN cost_usd   numeric;

-- A session's spans (GET /api/sessions/{id}, the session_id filter), and the probe "does this
-- session have an earlier span" of GET /api/sessions (io.aard.tracequery.SessionSearch).
CREATE INDEX execution_traces_session_idx ON execution_traces (session_id, start_time)
    WHERE session_id IS NOT NULL;

-- The statistics index of V4, with the new columns: statistics grouped by model, their cost sums
-- and the session filter stay index-only, and GET /api/sessions walks session spans newest first
-- through it. Building it reads the whole table once (a large store needs a maintenance window,
-- as for V7); the old index is dropped only once this one exists.
CREATE INDEX execution_traces_stats_v9_idx ON execution_traces (start_time)
    INCLUDE (operation_name, service_name, status, duration_ms, input_tokens, output_tokens,
             agent_id, tool_id, trace_id, model, cost_usd, session_id);
DROP INDEX execution_traces_stats_idx;
ALTER INDEX execution_traces_stats_v9_idx RENAME TO execution_traces_stats_idx;

-- Prices of models in USD per million tokens. `model` is an exact model name, or a pattern: a
-- prefix followed by one trailing `*` (`gpt-4o-mini*`). A span is priced by its
-- gen_ai.response.model, then its gen_ai.request.model; for each name an exact row wins, then the
-- longest matching pattern. cached_input_per_million prices the input tokens served from the
-- provider's cache (gen_ai.usage.cache_read.input_tokens, which the conventions count inside
-- gen_ai.usage.input_tokens); NULL prices them as other input tokens.
-- Operators change rows with PUT and DELETE /api/prices/{model}; a change applies to the spans
-- stored from then on (every instance within a minute), never to spans already stored.
CREATE TABLE model_prices (
    model                    text          PRIMARY KEY
        CHECK (length(model) BETWEEN 1 AND 256
               AND model <> '*'
               AND position('*' IN model) IN (0, length(model))),
    input_per_million        numeric(13,6) NOT NULL CHECK (input_per_million BETWEEN 0 AND 1000000),
    output_per_million       numeric(13,6) NOT NULL CHECK (output_per_million BETWEEN 0 AND 1000000),
    cached_input_per_million numeric(13,6)          CHECK (cached_input_per_million BETWEEN 0 AND 1000000),
    source                   text          NOT NULL,
    updated_at               timestamptz   NOT NULL DEFAULT now()
);

-- The shipped prices: standard (pay-as-you-go) text prices as these pages listed them in
-- November 2025, for the smallest context tier where a provider has tiers (Gemini 2.5 Pro over
-- 200k prompt tokens, Claude Sonnet's long context: more). Batch, priority and regional prices,
-- cache writes and audio or image tokens are not modelled. Check them against the pages before
-- relying on them, and PUT what your contract says:
--   OpenAI     https://openai.com/api/pricing/ and https://platform.openai.com/docs/pricing
--   Anthropic  https://www.anthropic.com/pricing#api and https://docs.claude.com/en/docs/about-claude/pricing
--              (cached = "cache hits & refreshes")
--   Google     https://ai.google.dev/gemini-api/docs/pricing (Gemini API, standard tier);
--              cached left NULL where the page's context-caching price was not certain.
-- A pattern prices every variant alike (gpt-4o* also prices gpt-4o-audio-preview at the text
-- price): an exact row overrides it.
INSERT INTO model_prices (model, input_per_million, output_per_million, cached_input_per_million, source) VALUES
    ('gpt-4o*',                2.50,   10.00,  1.25,   'https://openai.com/api/pricing/ (2025-11)'),
    ('gpt-4o-2024-05-13',      5.00,   15.00,  NULL,   'https://openai.com/api/pricing/ (2025-11)'),
    ('gpt-4o-mini*',           0.15,    0.60,  0.075,  'https://openai.com/api/pricing/ (2025-11)'),
    ('gpt-4.1*',               2.00,    8.00,  0.50,   'https://openai.com/api/pricing/ (2025-11)'),
    ('gpt-4.1-mini*',          0.40,    1.60,  0.10,   'https://openai.com/api/pricing/ (2025-11)'),
    ('gpt-4.1-nano*',          0.10,    0.40,  0.025,  'https://openai.com/api/pricing/ (2025-11)'),
    ('gpt-5*',                 1.25,   10.00,  0.125,  'https://openai.com/api/pricing/ (2025-11)'),
    ('gpt-5-mini*',            0.25,    2.00,  0.025,  'https://openai.com/api/pricing/ (2025-11)'),
    ('gpt-5-nano*',            0.05,    0.40,  0.005,  'https://openai.com/api/pricing/ (2025-11)'),
    ('gpt-5-pro*',            15.00,  120.00,  NULL,   'https://openai.com/api/pricing/ (2025-11)'),
    ('o3*',                    2.00,    8.00,  0.50,   'https://openai.com/api/pricing/ (2025-11)'),
    ('o3-mini*',               1.10,    4.40,  0.55,   'https://openai.com/api/pricing/ (2025-11)'),
    ('o3-pro*',               20.00,   80.00,  NULL,   'https://openai.com/api/pricing/ (2025-11)'),
    ('o4-mini*',               1.10,    4.40,  0.275,  'https://openai.com/api/pricing/ (2025-11)'),
    ('claude-opus-4*',        15.00,   75.00,  1.50,   'https://www.anthropic.com/pricing#api (2025-11)'),
    ('claude-opus-4-5*',       5.00,   25.00,  0.50,   'https://www.anthropic.com/pricing#api (2025-11)'),
    ('claude-3-opus*',        15.00,   75.00,  1.50,   'https://www.anthropic.com/pricing#api (2025-11)'),
    ('claude-sonnet-4*',       3.00,   15.00,  0.30,   'https://www.anthropic.com/pricing#api (2025-11)'),
    ('claude-3-7-sonnet*',     3.00,   15.00,  0.30,   'https://www.anthropic.com/pricing#api (2025-11)'),
    ('claude-3-5-sonnet*',     3.00,   15.00,  0.30,   'https://www.anthropic.com/pricing#api (2025-11)'),
    ('claude-haiku-4-5*',      1.00,    5.00,  0.10,   'https://www.anthropic.com/pricing#api (2025-11)'),
    ('claude-3-5-haiku*',      0.80,    4.00,  0.08,   'https://www.anthropic.com/pricing#api (2025-11)'),
    ('claude-3-haiku*',        0.25,    1.25,  0.03,   'https://www.anthropic.com/pricing#api (2025-11)'),
    ('gemini-2.5-pro*',        1.25,   10.00,  NULL,   'https://ai.google.dev/gemini-api/docs/pricing (2025-11)'),
    ('gemini-2.5-flash*',      0.30,    2.50,  NULL,   'https://ai.google.dev/gemini-api/docs/pricing (2025-11)'),
    ('gemini-2.5-flash-lite*', 0.10,    0.40,  NULL,   'https://ai.google.dev/gemini-api/docs/pricing (2025-11)'),
    ('gemini-2.0-flash*',      0.10,    0.40,  0.025,  'https://ai.google.dev/gemini-api/docs/pricing (2025-11)'),
    ('gemini-2.0-flash-lite*', 0.075,   0.30,  NULL,   'https://ai.google.dev/gemini-api/docs/pricing (2025-11)'),
    -- Models that run locally under Ollama cost no money per token. The same names served by a
    -- hosted provider do: PUT their exact names, which win over these patterns.
    ('llama*',                 0,       0,     0,      'local model (Ollama): no per-token price'),
    ('qwen*',                  0,       0,     0,      'local model (Ollama): no per-token price'),
    ('mistral*',               0,       0,     0,      'local model (Ollama): no per-token price'),
    ('gemma*',                 0,       0,     0,      'local model (Ollama): no per-token price'),
    ('phi*',                   0,       0,     0,      'local model (Ollama): no per-token price'),
    ('builtin-rules-1',        0,       0,     0,      'AARD''s built-in rule-based planner: no model, no price');
