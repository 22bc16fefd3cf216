-- TABLE: media_backups
CREATE TABLE private.media_backups (
    object_id uuid NOT NULL,
    bucket_id text NOT NULL,
    name text NOT NULL,
    object_version text,
    state text DEFAULT 'pending'::text NOT NULL,
    sha256 text,
    size_bytes bigint,
    attempts integer DEFAULT 0 NOT NULL,
    last_error text,
    copied_at timestamp with time zone,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT media_backups_sha256_check CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT media_backups_state_check CHECK ((state = ANY (ARRAY['pending'::text, 'copied'::text, 'failed'::text])))
);

-- COMMENT: TABLE media_backups
COMMENT ON TABLE private.media_backups IS 'Each original''s copy in the R2 backup bucket (key `<bucket>/<name>`). Rows outlive deleted objects: `whatssound media verify` lists those copies.';

-- COMMENT: COLUMN media_backups.object_id
COMMENT ON COLUMN private.media_backups.object_id IS 'storage.objects.id of the original (no foreign key: the row outlives it).';

-- COMMENT: COLUMN media_backups.bucket_id
COMMENT ON COLUMN private.media_backups.bucket_id IS 'Storage bucket of the original.';

-- COMMENT: COLUMN media_backups.name
COMMENT ON COLUMN private.media_backups.name IS 'Path of the original in its bucket.';

-- COMMENT: COLUMN media_backups.object_version
COMMENT ON COLUMN private.media_backups.object_version IS 'Storage''s version of the object copied (or to copy).';

-- COMMENT: COLUMN media_backups.state
COMMENT ON COLUMN private.media_backups.state IS 'pending (a job will copy it), copied (verified in R2), failed (retries exhausted).';

-- COMMENT: COLUMN media_backups.sha256
COMMENT ON COLUMN private.media_backups.sha256 IS 'SHA-256 of the bytes copied (hex), checked against R2 after the copy.';

-- COMMENT: COLUMN media_backups.size_bytes
COMMENT ON COLUMN private.media_backups.size_bytes IS 'Size of the bytes copied.';

-- COMMENT: COLUMN media_backups.attempts
COMMENT ON COLUMN private.media_backups.attempts IS 'Copy attempts.';

-- COMMENT: COLUMN media_backups.last_error
COMMENT ON COLUMN private.media_backups.last_error IS 'Last copy error, for operators.';

-- COMMENT: COLUMN media_backups.copied_at
COMMENT ON COLUMN private.media_backups.copied_at IS 'When the verified copy landed.';

-- COMMENT: COLUMN media_backups.updated_at
COMMENT ON COLUMN private.media_backups.updated_at IS 'Last change.';

-- CONSTRAINT: media_backups media_backups_bucket_id_name_key
ALTER TABLE ONLY private.media_backups
    ADD CONSTRAINT media_backups_bucket_id_name_key UNIQUE (bucket_id, name);

-- CONSTRAINT: media_backups media_backups_pkey
ALTER TABLE ONLY private.media_backups
    ADD CONSTRAINT media_backups_pkey PRIMARY KEY (object_id);

-- ROW SECURITY: media_backups
ALTER TABLE private.media_backups ENABLE ROW LEVEL SECURITY;
