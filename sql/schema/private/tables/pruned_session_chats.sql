-- TABLE: pruned_session_chats
CREATE TABLE private.pruned_session_chats (
    session_id uuid NOT NULL,
    pruned_at timestamp with time zone DEFAULT now() NOT NULL
);

-- COMMENT: TABLE pruned_session_chats
COMMENT ON TABLE private.pruned_session_chats IS 'Ended sessions whose chat retention has deleted every line it may (the rest is protected): not scanned again.';

-- COMMENT: COLUMN pruned_session_chats.session_id
COMMENT ON COLUMN private.pruned_session_chats.session_id IS 'The session.';

-- COMMENT: COLUMN pruned_session_chats.pruned_at
COMMENT ON COLUMN private.pruned_session_chats.pruned_at IS 'When its last prunable line was deleted.';

-- CONSTRAINT: pruned_session_chats pruned_session_chats_pkey
ALTER TABLE ONLY private.pruned_session_chats
    ADD CONSTRAINT pruned_session_chats_pkey PRIMARY KEY (session_id);

-- FK CONSTRAINT: pruned_session_chats pruned_session_chats_session_id_fkey
ALTER TABLE ONLY private.pruned_session_chats
    ADD CONSTRAINT pruned_session_chats_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.dj_sessions(id) ON DELETE CASCADE;

-- ROW SECURITY: pruned_session_chats
ALTER TABLE private.pruned_session_chats ENABLE ROW LEVEL SECURITY;
