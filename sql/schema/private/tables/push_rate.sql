-- TABLE: push_rate
CREATE TABLE private.push_rate (
    id boolean DEFAULT true NOT NULL,
    tokens double precision NOT NULL,
    refilled_at timestamp with time zone NOT NULL,
    CONSTRAINT push_rate_id_check CHECK (id)
);

-- COMMENT: TABLE push_rate
COMMENT ON TABLE private.push_rate IS 'The project-wide token bucket that keeps all push workers within Expo''s rate.';

-- COMMENT: COLUMN push_rate.id
COMMENT ON COLUMN private.push_rate.id IS 'Single row.';

-- COMMENT: COLUMN push_rate.tokens
COMMENT ON COLUMN private.push_rate.tokens IS 'Notifications that may be sent now.';

-- COMMENT: COLUMN push_rate.refilled_at
COMMENT ON COLUMN private.push_rate.refilled_at IS 'When tokens were last computed.';

-- CONSTRAINT: push_rate push_rate_pkey
ALTER TABLE ONLY private.push_rate
    ADD CONSTRAINT push_rate_pkey PRIMARY KEY (id);

-- ROW SECURITY: push_rate
ALTER TABLE private.push_rate ENABLE ROW LEVEL SECURITY;
