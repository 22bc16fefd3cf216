-- TABLE: schedule
CREATE TABLE private.schedule (
    name text NOT NULL,
    statement text,
    every interval NOT NULL,
    description text NOT NULL,
    task text,
    runs_on text NOT NULL,
    CONSTRAINT schedule_every_check CHECK (((every >= '00:00:01'::interval) AND (every <= '1 day'::interval))),
    CONSTRAINT schedule_name_check CHECK ((name ~ '^[a-z][a-z0-9_]*$'::text)),
    CONSTRAINT schedule_runs_on_check CHECK ((runs_on = ANY (ARRAY['database'::text, 'service'::text, 'workers'::text]))),
    CONSTRAINT schedule_runs_one_thing CHECK ((((task IS NOT NULL) = (runs_on = 'workers'::text)) AND ((statement IS NULL) = (task IS NOT NULL)))),
    CONSTRAINT schedule_task_check CHECK ((task ~ '^[a-z][a-z0-9_]*:[a-z][a-z0-9_]*$'::text))
);

-- COMMENT: TABLE schedule
COMMENT ON TABLE private.schedule IS 'Every recurring job, declared once: what it runs, how often and where (pg_cron, the service, the job workers).';

-- COMMENT: COLUMN schedule.name
COMMENT ON COLUMN private.schedule.name IS 'The task''s name (pg_cron job whatssound-<name>).';

-- COMMENT: COLUMN schedule.statement
COMMENT ON COLUMN private.schedule.statement IS 'The SQL it runs (runs_on database or service): one idempotent statement, safe to run from two places at once.';

-- COMMENT: COLUMN schedule.every
COMMENT ON COLUMN private.schedule.every IS 'How often it runs (1 second to 1 day; pg_cron: seconds, minutes or hours).';

-- COMMENT: COLUMN schedule.description
COMMENT ON COLUMN private.schedule.description IS 'What it does and what stops if it does not run.';

-- COMMENT: COLUMN schedule.task
COMMENT ON COLUMN private.schedule.task IS 'The procrastinate task the job workers defer (runs_on workers), e.g. push:send_later.';

-- COMMENT: COLUMN schedule.runs_on
COMMENT ON COLUMN private.schedule.runs_on IS 'Where it runs: database (pg_cron where it exists, and the service), service (the service alone), workers (the job workers).';

-- CONSTRAINT: schedule schedule_pkey
ALTER TABLE ONLY private.schedule
    ADD CONSTRAINT schedule_pkey PRIMARY KEY (name);

-- ROW SECURITY: schedule
ALTER TABLE private.schedule ENABLE ROW LEVEL SECURITY;
