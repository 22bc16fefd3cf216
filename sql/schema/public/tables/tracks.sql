-- TABLE: tracks
CREATE TABLE public.tracks (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    provider public.track_provider NOT NULL,
    provider_track_id text NOT NULL,
    title text NOT NULL,
    artist text NOT NULL,
    duration_ms integer NOT NULL,
    artwork_url text,
    explicit boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    verified_at timestamp with time zone,
    requested_in uuid,
    CONSTRAINT tracks_artist_check CHECK (((char_length(artist) >= 1) AND (char_length(artist) <= 200))),
    CONSTRAINT tracks_artwork_url_check CHECK (((artwork_url ~ '^https://'::text) AND (char_length(artwork_url) <= 2048))),
    CONSTRAINT tracks_duration_ms_check CHECK (((duration_ms >= 1000) AND (duration_ms <= 10800000))),
    CONSTRAINT tracks_provider_track_id_check CHECK (((char_length(provider_track_id) >= 1) AND (char_length(provider_track_id) <= 200))),
    CONSTRAINT tracks_title_check CHECK (((char_length(title) >= 1) AND (char_length(title) <= 200))),
    CONSTRAINT tracks_verified_rows_are_shared CHECK (((verified_at IS NULL) OR (requested_in IS NULL)))
);

-- COMMENT: TABLE tracks
COMMENT ON TABLE public.tracks IS 'The track catalogue: one shared row per provider id (verified by the service against the provider), and rows typed by a requester that only their session sees until the id is verified.';

-- COMMENT: COLUMN tracks.id
COMMENT ON COLUMN public.tracks.id IS 'Track id.';

-- COMMENT: COLUMN tracks.provider
COMMENT ON COLUMN public.tracks.provider IS 'spotify, apple_music, soundcloud or upload (a DJ''s own file).';

-- COMMENT: COLUMN tracks.provider_track_id
COMMENT ON COLUMN public.tracks.provider_track_id IS 'The provider''s id (e.g. a Spotify track id).';

-- COMMENT: COLUMN tracks.title
COMMENT ON COLUMN public.tracks.title IS 'Title: the provider''s when verified, else as the requester typed it.';

-- COMMENT: COLUMN tracks.artist
COMMENT ON COLUMN public.tracks.artist IS 'Artist: the provider''s when verified, else as the requester typed it.';

-- COMMENT: COLUMN tracks.duration_ms
COMMENT ON COLUMN public.tracks.duration_ms IS 'Length in milliseconds (1 s to 3 h).';

-- COMMENT: COLUMN tracks.artwork_url
COMMENT ON COLUMN public.tracks.artwork_url IS 'https URL of the artwork, on one of the provider''s image hosts.';

-- COMMENT: COLUMN tracks.explicit
COMMENT ON COLUMN public.tracks.explicit IS 'Marked explicit by the provider.';

-- COMMENT: COLUMN tracks.created_at
COMMENT ON COLUMN public.tracks.created_at IS 'When the row was made (first request in its scope, or verification).';

-- COMMENT: COLUMN tracks.verified_at
COMMENT ON COLUMN public.tracks.verified_at IS 'When the service confirmed this row against the provider''s API (null: as a requester typed it).';

-- COMMENT: COLUMN tracks.requested_in
COMMENT ON COLUMN public.tracks.requested_in IS 'The session whose requester typed this row (seen only there); null for the shared row of the provider id.';

-- CONSTRAINT: tracks tracks_pkey
ALTER TABLE ONLY public.tracks
    ADD CONSTRAINT tracks_pkey PRIMARY KEY (id);

-- INDEX: tracks_session_key
CREATE UNIQUE INDEX tracks_session_key ON public.tracks USING btree (provider, provider_track_id, requested_in) WHERE (requested_in IS NOT NULL);

-- COMMENT: INDEX tracks_session_key
COMMENT ON INDEX public.tracks_session_key IS 'One typed row per provider id and session.';

-- INDEX: tracks_shared_key
CREATE UNIQUE INDEX tracks_shared_key ON public.tracks USING btree (provider, provider_track_id) WHERE (requested_in IS NULL);

-- COMMENT: INDEX tracks_shared_key
COMMENT ON INDEX public.tracks_shared_key IS 'One shared row per provider id.';

-- INDEX: tracks_unverified_idx
CREATE INDEX tracks_unverified_idx ON public.tracks USING btree (provider, provider_track_id) WHERE (verified_at IS NULL);

-- COMMENT: INDEX tracks_unverified_idx
COMMENT ON INDEX public.tracks_unverified_idx IS 'What the verifier has left to ask about.';

-- TRIGGER: tracks _010_text_policy
CREATE TRIGGER _010_text_policy BEFORE INSERT OR UPDATE OF title, artist ON public.tracks FOR EACH ROW EXECUTE FUNCTION private.tg__text_policy('title:line', 'artist:line');

-- POLICY: tracks Signed-in users read the catalogue
CREATE POLICY "Signed-in users read the catalogue" ON public.tracks FOR SELECT TO authenticated USING (true);

-- ROW SECURITY: tracks
ALTER TABLE public.tracks ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE tracks
GRANT SELECT ON TABLE public.tracks TO authenticated;
