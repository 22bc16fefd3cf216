-- TABLE: cdn_frames
CREATE TABLE private.cdn_frames (
    topic text NOT NULL,
    slot bigint NOT NULL,
    from_seq bigint NOT NULL,
    to_seq bigint NOT NULL,
    cut_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    uploaded_at timestamp with time zone,
    CONSTRAINT cdn_frames_check CHECK ((to_seq >= from_seq))
);

-- COMMENT: TABLE cdn_frames
COMMENT ON TABLE private.cdn_frames IS 'Each frame file cut for a cdn room: the slot it is named for and the log range it holds; kept realtime_cdn_keep_minutes.';

-- COMMENT: COLUMN cdn_frames.topic
COMMENT ON COLUMN private.cdn_frames.topic IS 'The room''s topic (session:<id>).';

-- COMMENT: COLUMN cdn_frames.slot
COMMENT ON COLUMN private.cdn_frames.slot IS 'The slot: floor(epoch ms / realtime_cdn_slot_ms) of the interval it closes; the file is <session id>/<slot>.json.';

-- COMMENT: COLUMN cdn_frames.from_seq
COMMENT ON COLUMN private.cdn_frames.from_seq IS 'The file holds the entries after this sequence number ...';

-- COMMENT: COLUMN cdn_frames.to_seq
COMMENT ON COLUMN private.cdn_frames.to_seq IS '... up to and including this one (equal: an empty frame).';

-- COMMENT: COLUMN cdn_frames.cut_at
COMMENT ON COLUMN private.cdn_frames.cut_at IS 'When it was cut.';

-- COMMENT: COLUMN cdn_frames.uploaded_at
COMMENT ON COLUMN private.cdn_frames.uploaded_at IS 'When the publisher stored the file (NULL: not yet, or the upload failed).';

-- CONSTRAINT: cdn_frames cdn_frames_pkey
ALTER TABLE ONLY private.cdn_frames
    ADD CONSTRAINT cdn_frames_pkey PRIMARY KEY (topic, slot);

-- INDEX: cdn_frames_cut_at
CREATE INDEX cdn_frames_cut_at ON private.cdn_frames USING btree (cut_at);

-- ROW SECURITY: cdn_frames
ALTER TABLE private.cdn_frames ENABLE ROW LEVEL SECURITY;
