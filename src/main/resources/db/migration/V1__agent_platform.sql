-- The agent platform: the registries of tools and agents, tasks, plans and their steps.

CREATE TABLE tools (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    description text NOT NULL
);

CREATE TABLE agents (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    description text NOT NULL
);

CREATE TABLE agent_tools (
    agent_id uuid NOT NULL REFERENCES agents (id),
    tool_id  uuid NOT NULL REFERENCES tools (id),
    PRIMARY KEY (agent_id, tool_id)
);

CREATE TABLE tasks (
    id          uuid PRIMARY KEY,
    description text NOT NULL CHECK (char_length(description) BETWEEN 1 AND 10000),
    status      text NOT NULL CHECK (status IN ('CREATED', 'PLANNED', 'RUNNING', 'COMPLETED', 'FAILED')),
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX tasks_created_at_idx ON tasks (created_at DESC, id);
CREATE INDEX tasks_status_created_at_idx ON tasks (status, created_at DESC, id);

CREATE TABLE plans (
    id          uuid PRIMARY KEY,
    task_id     uuid NOT NULL REFERENCES tasks (id),
    status      text NOT NULL CHECK (status IN ('DRAFT', 'RUNNING', 'COMPLETED', 'FAILED')),
    analysis    jsonb NOT NULL,
    provider    text NOT NULL,
    model       text NOT NULL,
    error       text,
    created_at  timestamptz NOT NULL,
    started_at  timestamptz,
    finished_at timestamptz
);
CREATE INDEX plans_task_id_idx ON plans (task_id, created_at);

CREATE TABLE plan_steps (
    id          uuid PRIMARY KEY,
    plan_id     uuid NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    step_index  integer NOT NULL CHECK (step_index >= 0),
    description text NOT NULL,
    agent_id    uuid NOT NULL REFERENCES agents (id),
    tool_id     uuid NOT NULL REFERENCES tools (id),
    input       text NOT NULL,
    status      text NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'DONE', 'FAILED')),
    output      text,
    error       text,
    started_at  timestamptz,
    finished_at timestamptz,
    UNIQUE (plan_id, step_index)
);

INSERT INTO tools (id, name, description) VALUES
    ('7f1c0e6a-0001-4a00-8000-000000000001', 'llm',
     'Asks the language model; input: a prompt'),
    ('7f1c0e6a-0001-4a00-8000-000000000002', 'calculator',
     'Exact decimal arithmetic with + - * / ^ and parentheses; input: an expression'),
    ('7f1c0e6a-0001-4a00-8000-000000000003', 'http_get',
     'Fetches a URL from the hosts in HTTP_TOOL_ALLOWED_HOSTS; input: the URL'),
    ('7f1c0e6a-0001-4a00-8000-000000000004', 'text',
     'Deterministic text operations; input: "<operation>: <text>" with word_count, char_count, '
     'sentence_count, uppercase, lowercase, reverse or extract_numbers');

INSERT INTO agents (id, name, description) VALUES
    ('7f1c0e6a-0002-4a00-8000-000000000001', 'researcher',
     'Fetches pages from allowed hosts and asks the model about them'),
    ('7f1c0e6a-0002-4a00-8000-000000000002', 'analyst',
     'Computes exact figures and runs deterministic text operations'),
    ('7f1c0e6a-0002-4a00-8000-000000000003', 'writer',
     'Writes answers and summaries with the language model');

INSERT INTO agent_tools (agent_id, tool_id) VALUES
    ('7f1c0e6a-0002-4a00-8000-000000000001', '7f1c0e6a-0001-4a00-8000-000000000003'),
    ('7f1c0e6a-0002-4a00-8000-000000000001', '7f1c0e6a-0001-4a00-8000-000000000001'),
    ('7f1c0e6a-0002-4a00-8000-000000000002', '7f1c0e6a-0001-4a00-8000-000000000002'),
    ('7f1c0e6a-0002-4a00-8000-000000000002', '7f1c0e6a-0001-4a00-8000-000000000004'),
    ('7f1c0e6a-0002-4a00-8000-000000000003', '7f1c0e6a-0001-4a00-8000-000000000001'),
    ('7f1c0e6a-0002-4a00-8000-000000000003', '7f1c0e6a-0001-4a00-8000-000000000004');
