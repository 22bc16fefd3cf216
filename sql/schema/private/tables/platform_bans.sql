-- TABLE: platform_bans
CREATE TABLE private.platform_bans (
    id bigint NOT NULL,
    user_id uuid NOT NULL,
    reason text NOT NULL,
    banned_at timestamp with time zone DEFAULT now() NOT NULL,
    lifted_at timestamp with time zone,
    CONSTRAINT platform_bans_reason_check CHECK (((char_length(reason) >= 1) AND (char_length(reason) <= 500)))
);

-- COMMENT: TABLE platform_bans
COMMENT ON TABLE private.platform_bans IS 'Audit trail of platform bans (the ban itself is auth.users.banned_until).';

-- COMMENT: COLUMN platform_bans.id
COMMENT ON COLUMN private.platform_bans.id IS 'Order recorded.';

-- COMMENT: COLUMN platform_bans.user_id
COMMENT ON COLUMN private.platform_bans.user_id IS 'Who was banned.';

-- COMMENT: COLUMN platform_bans.reason
COMMENT ON COLUMN private.platform_bans.reason IS 'Why (operator''s words).';

-- COMMENT: COLUMN platform_bans.banned_at
COMMENT ON COLUMN private.platform_bans.banned_at IS 'When.';

-- COMMENT: COLUMN platform_bans.lifted_at
COMMENT ON COLUMN private.platform_bans.lifted_at IS 'When it was lifted, if it was.';

-- SEQUENCE: platform_bans_id_seq
ALTER TABLE private.platform_bans ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME private.platform_bans_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

-- CONSTRAINT: platform_bans platform_bans_pkey
ALTER TABLE ONLY private.platform_bans
    ADD CONSTRAINT platform_bans_pkey PRIMARY KEY (id);

-- INDEX: platform_bans_user_idx
CREATE INDEX platform_bans_user_idx ON private.platform_bans USING btree (user_id) WHERE (lifted_at IS NULL);

-- TRIGGER: platform_bans _010_text_policy
CREATE TRIGGER _010_text_policy BEFORE INSERT OR UPDATE OF reason ON private.platform_bans FOR EACH ROW EXECUTE FUNCTION private.tg__text_policy('reason:text');

-- FK CONSTRAINT: platform_bans platform_bans_user_id_fkey
ALTER TABLE ONLY private.platform_bans
    ADD CONSTRAINT platform_bans_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;

-- ROW SECURITY: platform_bans
ALTER TABLE private.platform_bans ENABLE ROW LEVEL SECURITY;
