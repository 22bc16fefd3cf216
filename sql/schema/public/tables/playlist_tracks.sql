-- TABLE: playlist_tracks
CREATE TABLE public.playlist_tracks (
    playlist_id uuid NOT NULL,
    track_id uuid NOT NULL,
    "position" integer NOT NULL,
    added_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT playlist_tracks_position_check CHECK (("position" >= 1))
);

-- COMMENT: TABLE playlist_tracks
COMMENT ON TABLE public.playlist_tracks IS 'Tracks in a playlist, ordered by position (1..n, kept dense by the RPCs).';

-- COMMENT: COLUMN playlist_tracks.playlist_id
COMMENT ON COLUMN public.playlist_tracks.playlist_id IS 'The playlist.';

-- COMMENT: COLUMN playlist_tracks.track_id
COMMENT ON COLUMN public.playlist_tracks.track_id IS 'The track (once per playlist).';

-- COMMENT: COLUMN playlist_tracks."position"
COMMENT ON COLUMN public.playlist_tracks."position" IS 'Order in the playlist, from 1.';

-- COMMENT: COLUMN playlist_tracks.added_at
COMMENT ON COLUMN public.playlist_tracks.added_at IS 'When it was added.';

-- CONSTRAINT: playlist_tracks playlist_tracks_pkey
ALTER TABLE ONLY public.playlist_tracks
    ADD CONSTRAINT playlist_tracks_pkey PRIMARY KEY (playlist_id, track_id);

-- INDEX: playlist_tracks_order_idx
CREATE INDEX playlist_tracks_order_idx ON public.playlist_tracks USING btree (playlist_id, "position");

-- INDEX: playlist_tracks_track_idx
CREATE INDEX playlist_tracks_track_idx ON public.playlist_tracks USING btree (track_id);

-- TRIGGER: playlist_tracks _900_constraint_errors
CREATE TRIGGER _900_constraint_errors BEFORE INSERT OR UPDATE OF playlist_id, track_id, "position", added_at ON public.playlist_tracks FOR EACH ROW EXECUTE FUNCTION private.tg__constraint_errors();

-- FK CONSTRAINT: playlist_tracks playlist_tracks_playlist_id_fkey
ALTER TABLE ONLY public.playlist_tracks
    ADD CONSTRAINT playlist_tracks_playlist_id_fkey FOREIGN KEY (playlist_id) REFERENCES public.playlists(id) ON DELETE CASCADE;

-- FK CONSTRAINT: playlist_tracks playlist_tracks_track_id_fkey
ALTER TABLE ONLY public.playlist_tracks
    ADD CONSTRAINT playlist_tracks_track_id_fkey FOREIGN KEY (track_id) REFERENCES public.tracks(id) ON DELETE CASCADE;

-- POLICY: playlist_tracks Owners manage their playlists' tracks
CREATE POLICY "Owners manage their playlists' tracks" ON public.playlist_tracks TO authenticated USING ((EXISTS ( SELECT 1
   FROM public.playlists p
  WHERE ((p.id = playlist_tracks.playlist_id) AND (p.owner_id = ( SELECT auth.uid() AS uid)))))) WITH CHECK ((EXISTS ( SELECT 1
   FROM public.playlists p
  WHERE ((p.id = playlist_tracks.playlist_id) AND (p.owner_id = ( SELECT auth.uid() AS uid))))));

-- ROW SECURITY: playlist_tracks
ALTER TABLE public.playlist_tracks ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE playlist_tracks
GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE public.playlist_tracks TO authenticated;
