-- TABLE: realtime_topics
CREATE TABLE private.realtime_topics (
    topic text NOT NULL,
    session_id uuid,
    last_seq bigint DEFAULT 0 NOT NULL,
    quota double precision DEFAULT (hidden.setting('realtime_listener_budget_per_minute'::text))::double precision NOT NULL,
    capacity double precision DEFAULT private.rt_capacity((hidden.setting('realtime_listener_budget_per_minute'::text))::double precision) NOT NULL,
    rate double precision DEFAULT private.rt_refill((hidden.setting('realtime_listener_budget_per_minute'::text))::double precision) NOT NULL,
    tokens double precision DEFAULT private.rt_capacity((hidden.setting('realtime_listener_budget_per_minute'::text))::double precision) NOT NULL,
    refilled_at timestamp with time zone DEFAULT now() NOT NULL,
    pending integer DEFAULT 0 NOT NULL,
    last_broadcast_at timestamp with time zone,
    delivery text DEFAULT 'push'::text NOT NULL,
    subscribers integer DEFAULT 0 NOT NULL,
    poll_ms integer DEFAULT 900 NOT NULL,
    cdn_seq bigint,
    CONSTRAINT realtime_topics_delivery_check CHECK ((delivery = ANY (ARRAY['push'::text, 'pull'::text, 'cdn'::text]))),
    CONSTRAINT realtime_topics_poll_ms_check CHECK ((poll_ms > 0)),
    CONSTRAINT realtime_topics_subscribers_check CHECK ((subscribers >= 0)),
    CONSTRAINT realtime_topics_topic_check CHECK ((topic ~ '^(session|staff|user):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'::text))
)
WITH (fillfactor='50', autovacuum_vacuum_scale_factor='0', autovacuum_vacuum_threshold='5000');

-- COMMENT: TABLE realtime_topics
COMMENT ON TABLE private.realtime_topics IS 'One row per realtime topic: its sequence counter and broadcast budget (token bucket).';

-- COMMENT: COLUMN realtime_topics.topic
COMMENT ON COLUMN private.realtime_topics.topic IS 'session:<id>, staff:<session id> or user:<id>.';

-- COMMENT: COLUMN realtime_topics.session_id
COMMENT ON COLUMN private.realtime_topics.session_id IS 'The session, for session and staff topics.';

-- COMMENT: COLUMN realtime_topics.last_seq
COMMENT ON COLUMN private.realtime_topics.last_seq IS 'Sequence number of the last broadcast (gap-free per topic).';

-- COMMENT: COLUMN realtime_topics.quota
COMMENT ON COLUMN private.realtime_topics.quota IS 'Most broadcasts in any 60 s (set by the flusher from the room''s size).';

-- COMMENT: COLUMN realtime_topics.capacity
COMMENT ON COLUMN private.realtime_topics.capacity IS 'Token bucket size: broadcasts the room may send back to back (rt_capacity of quota).';

-- COMMENT: COLUMN realtime_topics.rate
COMMENT ON COLUMN private.realtime_topics.rate IS 'Token refill per second (rt_refill of quota).';

-- COMMENT: COLUMN realtime_topics.tokens
COMMENT ON COLUMN private.realtime_topics.tokens IS 'Broadcasts available now (token bucket).';

-- COMMENT: COLUMN realtime_topics.refilled_at
COMMENT ON COLUMN private.realtime_topics.refilled_at IS 'When tokens was last brought up to date.';

-- COMMENT: COLUMN realtime_topics.pending
COMMENT ON COLUMN private.realtime_topics.pending IS 'Events waiting in the buffer for the next tick.';

-- COMMENT: COLUMN realtime_topics.last_broadcast_at
COMMENT ON COLUMN private.realtime_topics.last_broadcast_at IS 'When the last broadcast left.';

-- COMMENT: COLUMN realtime_topics.delivery
COMMENT ON COLUMN private.realtime_topics.delivery IS 'How the room is served: push (broadcast to subscribers), pull (apps call session_poll), cdn (apps read per-slot files from Storage''s CDN).';

-- COMMENT: COLUMN realtime_topics.subscribers
COMMENT ON COLUMN private.realtime_topics.subscribers IS 'Clients subscribed now (a push room''s foreground members; 0 in pull mode): what a broadcast costs, minus one.';

-- COMMENT: COLUMN realtime_topics.poll_ms
COMMENT ON COLUMN private.realtime_topics.poll_ms IS 'How often clients of a pull room poll (ms).';

-- COMMENT: COLUMN realtime_topics.cdn_seq
COMMENT ON COLUMN private.realtime_topics.cdn_seq IS 'A cdn room: the last sequence number a frame file holds (the next file starts after it).';

-- CONSTRAINT: realtime_topics realtime_topics_pkey
ALTER TABLE ONLY private.realtime_topics
    ADD CONSTRAINT realtime_topics_pkey PRIMARY KEY (topic);

-- ROW SECURITY: realtime_topics
ALTER TABLE private.realtime_topics ENABLE ROW LEVEL SECURITY;
