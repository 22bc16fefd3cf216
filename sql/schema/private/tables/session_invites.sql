-- TABLE: session_invites
CREATE TABLE private.session_invites (
    session_id uuid NOT NULL,
    code text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT session_invites_code_check CHECK ((code ~ '^[A-HJ-NP-Z2-9]{8}$'::text))
);

-- COMMENT: TABLE session_invites
COMMENT ON TABLE private.session_invites IS 'Invite codes of private sessions (only the DJ and moderators read them).';

-- COMMENT: COLUMN session_invites.session_id
COMMENT ON COLUMN private.session_invites.session_id IS 'The private session.';

-- COMMENT: COLUMN session_invites.code
COMMENT ON COLUMN private.session_invites.code IS '8 characters from an unambiguous alphabet (no 0/O, 1/I).';

-- COMMENT: COLUMN session_invites.created_at
COMMENT ON COLUMN private.session_invites.created_at IS 'When the code was (re)generated.';

-- CONSTRAINT: session_invites session_invites_code_key
ALTER TABLE ONLY private.session_invites
    ADD CONSTRAINT session_invites_code_key UNIQUE (code);

-- CONSTRAINT: session_invites session_invites_pkey
ALTER TABLE ONLY private.session_invites
    ADD CONSTRAINT session_invites_pkey PRIMARY KEY (session_id);

-- FK CONSTRAINT: session_invites session_invites_session_id_fkey
ALTER TABLE ONLY private.session_invites
    ADD CONSTRAINT session_invites_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.dj_sessions(id) ON DELETE CASCADE;

-- ROW SECURITY: session_invites
ALTER TABLE private.session_invites ENABLE ROW LEVEL SECURITY;
