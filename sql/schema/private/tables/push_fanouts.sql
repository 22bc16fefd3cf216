-- TABLE: push_fanouts
CREATE TABLE private.push_fanouts (
    session_id uuid NOT NULL,
    after_follower_id uuid,
    pages integer DEFAULT 0 NOT NULL,
    notified integer DEFAULT 0 NOT NULL,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone
);

-- COMMENT: TABLE push_fanouts
COMMENT ON TABLE private.push_fanouts IS 'The go-live fan-out''s cursor, one per session: advanced in the same transaction as the page it notified.';

-- COMMENT: COLUMN push_fanouts.session_id
COMMENT ON COLUMN private.push_fanouts.session_id IS 'The session that went live.';

-- COMMENT: COLUMN push_fanouts.after_follower_id
COMMENT ON COLUMN private.push_fanouts.after_follower_id IS 'The last follower paged (follower ids ascending).';

-- COMMENT: COLUMN push_fanouts.pages
COMMENT ON COLUMN private.push_fanouts.pages IS 'Pages of followers done.';

-- COMMENT: COLUMN push_fanouts.notified
COMMENT ON COLUMN private.push_fanouts.notified IS 'Followers notified (banned ones and earlier duplicates not counted).';

-- COMMENT: COLUMN push_fanouts.started_at
COMMENT ON COLUMN private.push_fanouts.started_at IS 'When the first page ran.';

-- COMMENT: COLUMN push_fanouts.finished_at
COMMENT ON COLUMN private.push_fanouts.finished_at IS 'When the last page ran (NULL: not done).';

-- CONSTRAINT: push_fanouts push_fanouts_pkey
ALTER TABLE ONLY private.push_fanouts
    ADD CONSTRAINT push_fanouts_pkey PRIMARY KEY (session_id);

-- FK CONSTRAINT: push_fanouts push_fanouts_session_id_fkey
ALTER TABLE ONLY private.push_fanouts
    ADD CONSTRAINT push_fanouts_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.dj_sessions(id) ON DELETE CASCADE;

-- ROW SECURITY: push_fanouts
ALTER TABLE private.push_fanouts ENABLE ROW LEVEL SECURITY;
