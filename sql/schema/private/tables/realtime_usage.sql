-- TABLE: realtime_usage
CREATE TABLE private.realtime_usage (
    day date NOT NULL,
    delivered bigint DEFAULT 0 NOT NULL,
    listener_seconds double precision DEFAULT 0 NOT NULL,
    updated_at timestamp with time zone NOT NULL,
    counted_through timestamp with time zone NOT NULL,
    subscriber_seconds double precision DEFAULT 0 NOT NULL,
    paced bigint DEFAULT 0 NOT NULL
);

-- COMMENT: TABLE realtime_usage
COMMENT ON TABLE private.realtime_usage IS 'Realtime messages and listening time per UTC day: what pacing projects from.';

-- COMMENT: COLUMN realtime_usage.day
COMMENT ON COLUMN private.realtime_usage.day IS 'The UTC day.';

-- COMMENT: COLUMN realtime_usage.delivered
COMMENT ON COLUMN private.realtime_usage.delivered IS 'Messages Realtime counts for our broadcasts (recipients + 1 each; polls are free).';

-- COMMENT: COLUMN realtime_usage.listener_seconds
COMMENT ON COLUMN private.realtime_usage.listener_seconds IS 'Sum over live rooms of present listeners x seconds.';

-- COMMENT: COLUMN realtime_usage.updated_at
COMMENT ON COLUMN private.realtime_usage.updated_at IS 'When the flusher last added to the row.';

-- COMMENT: COLUMN realtime_usage.counted_through
COMMENT ON COLUMN private.realtime_usage.counted_through IS 'Broadcasts logged up to this time are counted (in some row).';

-- COMMENT: COLUMN realtime_usage.subscriber_seconds
COMMENT ON COLUMN private.realtime_usage.subscriber_seconds IS 'Sum over push rooms of subscribers x seconds: what pacing divides the budget by.';

-- COMMENT: COLUMN realtime_usage.paced
COMMENT ON COLUMN private.realtime_usage.paced IS 'Of delivered, the messages broadcast on session topics (push rooms): the spend pacing governs; the rest (staff lanes, personal topics) it projects and leaves alone.';

-- CONSTRAINT: realtime_usage realtime_usage_pkey
ALTER TABLE ONLY private.realtime_usage
    ADD CONSTRAINT realtime_usage_pkey PRIMARY KEY (day);

-- ROW SECURITY: realtime_usage
ALTER TABLE private.realtime_usage ENABLE ROW LEVEL SECURITY;
