-- TABLE: cdn_lane
CREATE TABLE private.cdn_lane (
    id boolean DEFAULT true NOT NULL,
    stored_at timestamp with time zone NOT NULL,
    CONSTRAINT cdn_lane_id_check CHECK (id)
);

-- COMMENT: TABLE cdn_lane
COMMENT ON TABLE private.cdn_lane IS 'One row: when the publisher last completed a round with every file stored (the cdn lane is on while that is recent).';

-- COMMENT: COLUMN cdn_lane.id
COMMENT ON COLUMN private.cdn_lane.id IS 'Always true: one row.';

-- COMMENT: COLUMN cdn_lane.stored_at
COMMENT ON COLUMN private.cdn_lane.stored_at IS 'When private.cdn_alive was last called.';

-- CONSTRAINT: cdn_lane cdn_lane_pkey
ALTER TABLE ONLY private.cdn_lane
    ADD CONSTRAINT cdn_lane_pkey PRIMARY KEY (id);

-- ROW SECURITY: cdn_lane
ALTER TABLE private.cdn_lane ENABLE ROW LEVEL SECURITY;
