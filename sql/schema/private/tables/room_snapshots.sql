-- TABLE: room_snapshots
CREATE TABLE private.room_snapshots (
    session_id uuid NOT NULL,
    seq bigint NOT NULL,
    session json NOT NULL,
    now_playing json,
    queue json NOT NULL,
    listeners json NOT NULL,
    chat json NOT NULL,
    built_at timestamp with time zone NOT NULL
)
WITH (fillfactor='50');
ALTER TABLE ONLY private.room_snapshots ALTER COLUMN queue SET STORAGE EXTERNAL;
ALTER TABLE ONLY private.room_snapshots ALTER COLUMN chat SET STORAGE EXTERNAL;

-- COMMENT: TABLE room_snapshots
COMMENT ON TABLE private.room_snapshots IS 'Each room''s latest shared snapshot (what session_snapshot serves).';

-- COMMENT: COLUMN room_snapshots.session_id
COMMENT ON COLUMN private.room_snapshots.session_id IS 'The room.';

-- COMMENT: COLUMN room_snapshots.seq
COMMENT ON COLUMN private.room_snapshots.seq IS 'The room topic''s sequence number the snapshot reflects.';

-- COMMENT: COLUMN room_snapshots.session
COMMENT ON COLUMN private.room_snapshots.session IS 'The session row.';

-- COMMENT: COLUMN room_snapshots.now_playing
COMMENT ON COLUMN private.room_snapshots.now_playing IS 'What plays (public.now_playing), or NULL.';

-- COMMENT: COLUMN room_snapshots.queue
COMMENT ON COLUMN private.room_snapshots.queue IS 'queue_top(50).';

-- COMMENT: COLUMN room_snapshots.listeners
COMMENT ON COLUMN private.room_snapshots.listeners IS '{count, peak}.';

-- COMMENT: COLUMN room_snapshots.chat
COMMENT ON COLUMN private.room_snapshots.chat IS 'The latest 50 visible chat lines, oldest first.';

-- COMMENT: COLUMN room_snapshots.built_at
COMMENT ON COLUMN private.room_snapshots.built_at IS 'When it was built (rebuilt when over a second old and behind).';

-- CONSTRAINT: room_snapshots room_snapshots_pkey
ALTER TABLE ONLY private.room_snapshots
    ADD CONSTRAINT room_snapshots_pkey PRIMARY KEY (session_id);

-- FK CONSTRAINT: room_snapshots room_snapshots_session_id_fkey
ALTER TABLE ONLY private.room_snapshots
    ADD CONSTRAINT room_snapshots_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.dj_sessions(id) ON DELETE CASCADE;

-- ROW SECURITY: room_snapshots
ALTER TABLE private.room_snapshots ENABLE ROW LEVEL SECURITY;
