-- TABLE: realtime_buffer
CREATE TABLE private.realtime_buffer (
    id bigint NOT NULL,
    topic text NOT NULL,
    event text NOT NULL,
    data jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

-- COMMENT: TABLE realtime_buffer
COMMENT ON TABLE private.realtime_buffer IS 'Events waiting for the next tick of their room.';

-- COMMENT: COLUMN realtime_buffer.id
COMMENT ON COLUMN private.realtime_buffer.id IS 'Arrival order.';

-- COMMENT: COLUMN realtime_buffer.topic
COMMENT ON COLUMN private.realtime_buffer.topic IS 'The topic.';

-- COMMENT: COLUMN realtime_buffer.event
COMMENT ON COLUMN private.realtime_buffer.event IS 'The event it would have been.';

-- COMMENT: COLUMN realtime_buffer.data
COMMENT ON COLUMN private.realtime_buffer.data IS 'Its data.';

-- COMMENT: COLUMN realtime_buffer.created_at
COMMENT ON COLUMN private.realtime_buffer.created_at IS 'When it happened.';

-- SEQUENCE: realtime_buffer_id_seq
ALTER TABLE private.realtime_buffer ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME private.realtime_buffer_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

-- CONSTRAINT: realtime_buffer realtime_buffer_pkey
ALTER TABLE ONLY private.realtime_buffer
    ADD CONSTRAINT realtime_buffer_pkey PRIMARY KEY (id);

-- INDEX: realtime_buffer_topic_idx
CREATE INDEX realtime_buffer_topic_idx ON private.realtime_buffer USING btree (topic, id);

-- ROW SECURITY: realtime_buffer
ALTER TABLE private.realtime_buffer ENABLE ROW LEVEL SECURITY;
