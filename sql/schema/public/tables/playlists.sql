-- TABLE: playlists
CREATE TABLE public.playlists (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    owner_id uuid DEFAULT auth.uid() NOT NULL,
    name text NOT NULL,
    is_snag_list boolean DEFAULT false NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT playlists_name_check CHECK (((char_length(btrim(name)) >= 1) AND (char_length(btrim(name)) <= 100)))
);

-- COMMENT: TABLE playlists
COMMENT ON TABLE public.playlists IS 'A user''s playlists (private to the owner).';

-- COMMENT: COLUMN playlists.id
COMMENT ON COLUMN public.playlists.id IS 'Playlist id.';

-- COMMENT: COLUMN playlists.owner_id
COMMENT ON COLUMN public.playlists.owner_id IS 'Owner (defaults to the caller).';

-- COMMENT: COLUMN playlists.name
COMMENT ON COLUMN public.playlists.name IS 'Name, 1-100 characters.';

-- COMMENT: COLUMN playlists.is_snag_list
COMMENT ON COLUMN public.playlists.is_snag_list IS 'The user''s default "Snagged" playlist (one per user).';

-- COMMENT: COLUMN playlists.created_at
COMMENT ON COLUMN public.playlists.created_at IS 'Created.';

-- COMMENT: COLUMN playlists.updated_at
COMMENT ON COLUMN public.playlists.updated_at IS 'Last change.';

-- CONSTRAINT: playlists playlists_pkey
ALTER TABLE ONLY public.playlists
    ADD CONSTRAINT playlists_pkey PRIMARY KEY (id);

-- INDEX: playlists_one_snag_list
CREATE UNIQUE INDEX playlists_one_snag_list ON public.playlists USING btree (owner_id) WHERE is_snag_list;

-- INDEX: playlists_owner_idx
CREATE INDEX playlists_owner_idx ON public.playlists USING btree (owner_id, created_at);

-- TRIGGER: playlists _010_text_policy
CREATE TRIGGER _010_text_policy BEFORE INSERT OR UPDATE OF name ON public.playlists FOR EACH ROW EXECUTE FUNCTION private.tg__text_policy('name:line');

-- TRIGGER: playlists _100_timestamps
CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON public.playlists FOR EACH ROW EXECUTE FUNCTION private.tg__timestamps();

-- TRIGGER: playlists _900_constraint_errors
CREATE TRIGGER _900_constraint_errors BEFORE INSERT OR UPDATE OF name ON public.playlists FOR EACH ROW EXECUTE FUNCTION private.tg__constraint_errors();

-- FK CONSTRAINT: playlists playlists_owner_id_fkey
ALTER TABLE ONLY public.playlists
    ADD CONSTRAINT playlists_owner_id_fkey FOREIGN KEY (owner_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

-- POLICY: playlists Owners manage their playlists
CREATE POLICY "Owners manage their playlists" ON public.playlists TO authenticated USING ((owner_id = ( SELECT auth.uid() AS uid))) WITH CHECK ((owner_id = ( SELECT auth.uid() AS uid)));

-- ROW SECURITY: playlists
ALTER TABLE public.playlists ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE playlists
GRANT SELECT,DELETE ON TABLE public.playlists TO authenticated;

-- ACL: COLUMN playlists.owner_id
GRANT INSERT(owner_id) ON TABLE public.playlists TO authenticated;

-- ACL: COLUMN playlists.name
GRANT INSERT(name),UPDATE(name) ON TABLE public.playlists TO authenticated;

-- ACL: COLUMN playlists.is_snag_list
GRANT INSERT(is_snag_list) ON TABLE public.playlists TO authenticated;
