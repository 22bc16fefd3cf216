-- TABLE: track_checks
CREATE TABLE private.track_checks (
    provider public.track_provider NOT NULL,
    provider_track_id text NOT NULL,
    outcome text NOT NULL,
    attempts integer DEFAULT 1 NOT NULL,
    checked_at timestamp with time zone DEFAULT now() NOT NULL,
    next_check_at timestamp with time zone NOT NULL,
    CONSTRAINT track_checks_outcome_check CHECK ((outcome = ANY (ARRAY['verified'::text, 'not_found'::text, 'unusable'::text, 'unavailable'::text])))
);

-- COMMENT: TABLE track_checks
COMMENT ON TABLE private.track_checks IS 'What the verifier last heard from a provider about a provider id.';

-- COMMENT: COLUMN track_checks.provider
COMMENT ON COLUMN private.track_checks.provider IS 'The provider asked.';

-- COMMENT: COLUMN track_checks.provider_track_id
COMMENT ON COLUMN private.track_checks.provider_track_id IS 'The provider id asked about.';

-- COMMENT: COLUMN track_checks.outcome
COMMENT ON COLUMN private.track_checks.outcome IS 'verified; not_found (the provider has no such track); unusable (outside our limits, e.g. longer than 3 h); unavailable (the provider failed or rate-limited us: asked again at next_check_at).';

-- COMMENT: COLUMN track_checks.attempts
COMMENT ON COLUMN private.track_checks.attempts IS 'Checks of this id so far.';

-- COMMENT: COLUMN track_checks.checked_at
COMMENT ON COLUMN private.track_checks.checked_at IS 'When it was last asked about.';

-- COMMENT: COLUMN track_checks.next_check_at
COMMENT ON COLUMN private.track_checks.next_check_at IS 'Not asked about again before this.';

-- CONSTRAINT: track_checks track_checks_pkey
ALTER TABLE ONLY private.track_checks
    ADD CONSTRAINT track_checks_pkey PRIMARY KEY (provider, provider_track_id);

-- ROW SECURITY: track_checks
ALTER TABLE private.track_checks ENABLE ROW LEVEL SECURITY;
