-- TABLE: job_failures
CREATE TABLE private.job_failures (
    id bigint NOT NULL,
    job_id bigint NOT NULL,
    task_name text NOT NULL,
    attempt integer NOT NULL,
    error text NOT NULL,
    failed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT job_failures_attempt_check CHECK ((attempt >= 1))
);

-- COMMENT: TABLE job_failures
COMMENT ON TABLE private.job_failures IS 'Each failed attempt of a job and why (written by the worker).';

-- COMMENT: COLUMN job_failures.id
COMMENT ON COLUMN private.job_failures.id IS 'Order written.';

-- COMMENT: COLUMN job_failures.job_id
COMMENT ON COLUMN private.job_failures.job_id IS 'The job (procrastinate.procrastinate_jobs).';

-- COMMENT: COLUMN job_failures.task_name
COMMENT ON COLUMN private.job_failures.task_name IS 'Its task, kept for reading without a join.';

-- COMMENT: COLUMN job_failures.attempt
COMMENT ON COLUMN private.job_failures.attempt IS 'Which attempt failed (1 = the first run).';

-- COMMENT: COLUMN job_failures.error
COMMENT ON COLUMN private.job_failures.error IS 'Exception type and message (no secrets: tasks raise operator-readable errors).';

-- COMMENT: COLUMN job_failures.failed_at
COMMENT ON COLUMN private.job_failures.failed_at IS 'When it failed.';

-- SEQUENCE: job_failures_id_seq
ALTER TABLE private.job_failures ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME private.job_failures_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

-- CONSTRAINT: job_failures job_failures_pkey
ALTER TABLE ONLY private.job_failures
    ADD CONSTRAINT job_failures_pkey PRIMARY KEY (id);

-- INDEX: job_failures_failed_at_idx
CREATE INDEX job_failures_failed_at_idx ON private.job_failures USING btree (failed_at);

-- INDEX: job_failures_job_idx
CREATE INDEX job_failures_job_idx ON private.job_failures USING btree (job_id, attempt DESC);

-- FK CONSTRAINT: job_failures job_failures_job_id_fkey
ALTER TABLE ONLY private.job_failures
    ADD CONSTRAINT job_failures_job_id_fkey FOREIGN KEY (job_id) REFERENCES procrastinate.procrastinate_jobs(id) ON DELETE CASCADE;

-- ROW SECURITY: job_failures
ALTER TABLE private.job_failures ENABLE ROW LEVEL SECURITY;
