-- TABLE: realtime_log
CREATE TABLE private.realtime_log (
    topic text NOT NULL,
    seq bigint NOT NULL,
    event text NOT NULL,
    payload json NOT NULL,
    recipients integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    sent boolean DEFAULT true NOT NULL
);

-- COMMENT: TABLE realtime_log
COMMENT ON TABLE private.realtime_log IS 'Every broadcast, by topic and sequence number: what resync replays.';

-- COMMENT: COLUMN realtime_log.topic
COMMENT ON COLUMN private.realtime_log.topic IS 'The topic.';

-- COMMENT: COLUMN realtime_log.seq
COMMENT ON COLUMN private.realtime_log.seq IS 'Its sequence number.';

-- COMMENT: COLUMN realtime_log.event
COMMENT ON COLUMN private.realtime_log.event IS 'Event name (the broadcast''s event).';

-- COMMENT: COLUMN realtime_log.payload
COMMENT ON COLUMN private.realtime_log.payload IS 'The envelope as sent (json text, returned by resync and polls as is).';

-- COMMENT: COLUMN realtime_log.recipients
COMMENT ON COLUMN private.realtime_log.recipients IS 'Subscribers it was broadcast to (Realtime bills recipients + 1; 0 if not sent).';

-- COMMENT: COLUMN realtime_log.created_at
COMMENT ON COLUMN private.realtime_log.created_at IS 'When it was sent (pruned after realtime_log_retention_hours).';

-- COMMENT: COLUMN realtime_log.sent
COMMENT ON COLUMN private.realtime_log.sent IS 'Whether it was broadcast (false: a pull room''s entry, read by polls only, never billed).';

-- CONSTRAINT: realtime_log realtime_log_pkey
ALTER TABLE ONLY private.realtime_log
    ADD CONSTRAINT realtime_log_pkey PRIMARY KEY (topic, seq);

-- INDEX: realtime_log_created_idx
CREATE INDEX realtime_log_created_idx ON private.realtime_log USING btree (created_at);

-- ROW SECURITY: realtime_log
ALTER TABLE private.realtime_log ENABLE ROW LEVEL SECURITY;
