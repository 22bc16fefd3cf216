-- TABLE: rate_buckets
CREATE TABLE private.rate_buckets (
    user_id uuid NOT NULL,
    bucket text NOT NULL,
    tokens double precision NOT NULL,
    refilled_at timestamp with time zone NOT NULL
);

-- COMMENT: TABLE rate_buckets
COMMENT ON TABLE private.rate_buckets IS 'Token buckets per user and purpose (chat, reports, ...).';

-- COMMENT: COLUMN rate_buckets.user_id
COMMENT ON COLUMN private.rate_buckets.user_id IS 'Whose bucket.';

-- COMMENT: COLUMN rate_buckets.bucket
COMMENT ON COLUMN private.rate_buckets.bucket IS 'Purpose, e.g. chat.';

-- COMMENT: COLUMN rate_buckets.tokens
COMMENT ON COLUMN private.rate_buckets.tokens IS 'Tokens left at refilled_at.';

-- COMMENT: COLUMN rate_buckets.refilled_at
COMMENT ON COLUMN private.rate_buckets.refilled_at IS 'When tokens was last computed.';

-- CONSTRAINT: rate_buckets rate_buckets_pkey
ALTER TABLE ONLY private.rate_buckets
    ADD CONSTRAINT rate_buckets_pkey PRIMARY KEY (user_id, bucket);

-- FK CONSTRAINT: rate_buckets rate_buckets_user_id_fkey
ALTER TABLE ONLY private.rate_buckets
    ADD CONSTRAINT rate_buckets_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;

-- ROW SECURITY: rate_buckets
ALTER TABLE private.rate_buckets ENABLE ROW LEVEL SECURITY;
