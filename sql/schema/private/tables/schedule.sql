-- TABLE: schedule
CREATE TABLE private.schedule (
    name text NOT NULL,
    statement text NOT NULL,
    every interval NOT NULL,
    description text NOT NULL,
    CONSTRAINT schedule_every_check CHECK (((every >= '00:00:01'::interval) AND (every <= '1 day'::interval))),
    CONSTRAINT schedule_name_check CHECK ((name ~ '^[a-z][a-z0-9_]*$'::text))
);

-- COMMENT: TABLE schedule
COMMENT ON TABLE private.schedule IS 'Recurring work: each statement and how often it runs (pg_cron where it exists, and the service).';

-- COMMENT: COLUMN schedule.name
COMMENT ON COLUMN private.schedule.name IS 'The task''s name (pg_cron job whatssound-<name>).';

-- COMMENT: COLUMN schedule.statement
COMMENT ON COLUMN private.schedule.statement IS 'One idempotent statement, safe to run from two places at once.';

-- COMMENT: COLUMN schedule.every
COMMENT ON COLUMN private.schedule.every IS 'How often it runs (1 second to 1 day; pg_cron: seconds, minutes or hours).';

-- COMMENT: COLUMN schedule.description
COMMENT ON COLUMN private.schedule.description IS 'What it does and what stops if it does not run.';

-- CONSTRAINT: schedule schedule_pkey
ALTER TABLE ONLY private.schedule
    ADD CONSTRAINT schedule_pkey PRIMARY KEY (name);

-- ROW SECURITY: schedule
ALTER TABLE private.schedule ENABLE ROW LEVEL SECURITY;
