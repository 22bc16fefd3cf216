-- TABLE: account_deletions
CREATE TABLE private.account_deletions (
    user_id uuid NOT NULL,
    handle text,
    requested_at timestamp with time zone DEFAULT now() NOT NULL,
    completed_at timestamp with time zone
);

-- COMMENT: TABLE account_deletions
COMMENT ON TABLE private.account_deletions IS 'Accounts whose deletion was requested; the service completes them.';

-- COMMENT: COLUMN account_deletions.user_id
COMMENT ON COLUMN private.account_deletions.user_id IS 'The user (no foreign key: the auth.users row is deleted at completion).';

-- COMMENT: COLUMN account_deletions.handle
COMMENT ON COLUMN private.account_deletions.handle IS 'The handle before anonymisation, to scrub @mentions of it (cleared when the deletion completes).';

-- COMMENT: COLUMN account_deletions.requested_at
COMMENT ON COLUMN private.account_deletions.requested_at IS 'When delete_my_account was called.';

-- COMMENT: COLUMN account_deletions.completed_at
COMMENT ON COLUMN private.account_deletions.completed_at IS 'When the auth.users row was deleted (NULL: pending).';

-- CONSTRAINT: account_deletions account_deletions_pkey
ALTER TABLE ONLY private.account_deletions
    ADD CONSTRAINT account_deletions_pkey PRIMARY KEY (user_id);

-- INDEX: account_deletions_pending_idx
CREATE INDEX account_deletions_pending_idx ON private.account_deletions USING btree (requested_at) WHERE (completed_at IS NULL);

-- ROW SECURITY: account_deletions
ALTER TABLE private.account_deletions ENABLE ROW LEVEL SECURITY;
