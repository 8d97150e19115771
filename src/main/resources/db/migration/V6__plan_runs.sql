-- Plans that run in the background, can be cancelled and must never stay RUNNING:
-- a CANCELLED state for tasks, plans and steps; the input a step actually ran with (its
-- {{steps.N.output}} references resolved); which instance runs a plan, and each instance's
-- heartbeat, so that a plan whose instance is gone is marked FAILED by another.

ALTER TABLE tasks DROP CONSTRAINT tasks_status_check;
ALTER TABLE tasks ADD CONSTRAINT tasks_status_check
    CHECK (status IN ('CREATED', 'PLANNED', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'));

ALTER TABLE plans DROP CONSTRAINT plans_status_check;
ALTER TABLE plans ADD CONSTRAINT plans_status_check
    CHECK (status IN ('DRAFT', 'RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'));
ALTER TABLE plans ADD COLUMN runner_instance uuid;

ALTER TABLE plan_steps DROP CONSTRAINT plan_steps_status_check;
ALTER TABLE plan_steps ADD CONSTRAINT plan_steps_status_check
    CHECK (status IN ('PENDING', 'RUNNING', 'DONE', 'FAILED', 'CANCELLED'));
ALTER TABLE plan_steps ADD COLUMN resolved_input text;

CREATE TABLE instances (
    id           uuid PRIMARY KEY,
    host         text NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now()
);

-- The supervisor's question every few seconds: which plans are RUNNING, and on which instance.
CREATE INDEX plans_running_idx ON plans (runner_instance) WHERE status = 'RUNNING';
