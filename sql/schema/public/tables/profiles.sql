-- TABLE: profiles
CREATE TABLE public.profiles (
    id uuid NOT NULL,
    handle text NOT NULL,
    display_name text NOT NULL,
    avatar_url text,
    bio text DEFAULT ''::text NOT NULL,
    is_dj boolean DEFAULT false NOT NULL,
    is_verified boolean DEFAULT false NOT NULL,
    follower_count integer DEFAULT 0 NOT NULL,
    following_count integer DEFAULT 0 NOT NULL,
    handle_changed_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    display_name_skeleton text NOT NULL,
    handle_skeleton text NOT NULL,
    CONSTRAINT profiles_avatar_url_check CHECK (((avatar_url ~ '^https://'::text) AND (char_length(avatar_url) <= 2048))),
    CONSTRAINT profiles_bio_check CHECK ((char_length(bio) <= 300)),
    CONSTRAINT profiles_display_name_check CHECK (((char_length(display_name) >= 1) AND (char_length(display_name) <= 50))),
    CONSTRAINT profiles_follower_count_check CHECK ((follower_count >= 0)),
    CONSTRAINT profiles_following_count_check CHECK ((following_count >= 0)),
    CONSTRAINT profiles_handle_check CHECK ((handle ~ '^[a-z0-9_]{3,30}$'::text))
);

-- COMMENT: TABLE profiles
COMMENT ON TABLE public.profiles IS 'One public profile per user, created when Supabase Auth creates the user. Readable by everyone.';

-- COMMENT: COLUMN profiles.id
COMMENT ON COLUMN public.profiles.id IS 'The auth.users id.';

-- COMMENT: COLUMN profiles.handle
COMMENT ON COLUMN public.profiles.handle IS 'Unique @handle: 3-30 of [a-z0-9_], stored lower-case; changeable once per cooldown.';

-- COMMENT: COLUMN profiles.display_name
COMMENT ON COLUMN public.profiles.display_name IS 'Name shown in the app, 1-50 characters.';

-- COMMENT: COLUMN profiles.avatar_url
COMMENT ON COLUMN public.profiles.avatar_url IS 'https URL of the avatar image, or NULL.';

-- COMMENT: COLUMN profiles.bio
COMMENT ON COLUMN public.profiles.bio IS 'Free text, up to 300 characters.';

-- COMMENT: COLUMN profiles.is_dj
COMMENT ON COLUMN public.profiles.is_dj IS 'Whether the user hosts sessions (self-service; not for anonymous users).';

-- COMMENT: COLUMN profiles.is_verified
COMMENT ON COLUMN public.profiles.is_verified IS 'Verified badge; set by staff only.';

-- COMMENT: COLUMN profiles.follower_count
COMMENT ON COLUMN public.profiles.follower_count IS 'Exact number of followers (maintained by triggers).';

-- COMMENT: COLUMN profiles.following_count
COMMENT ON COLUMN public.profiles.following_count IS 'Exact number of users followed (maintained by triggers).';

-- COMMENT: COLUMN profiles.handle_changed_at
COMMENT ON COLUMN public.profiles.handle_changed_at IS 'When the handle was last changed by the user.';

-- COMMENT: COLUMN profiles.created_at
COMMENT ON COLUMN public.profiles.created_at IS 'Sign-up time.';

-- COMMENT: COLUMN profiles.updated_at
COMMENT ON COLUMN public.profiles.updated_at IS 'Last change.';

-- COMMENT: COLUMN profiles.display_name_skeleton
COMMENT ON COLUMN public.profiles.display_name_skeleton IS 'UTS #39 skeleton of display_name (maintained by a trigger): equal skeletons look alike.';

-- COMMENT: COLUMN profiles.handle_skeleton
COMMENT ON COLUMN public.profiles.handle_skeleton IS 'UTS #39 skeleton of handle (maintained by a trigger): no two accounts share one.';

-- CONSTRAINT: profiles profiles_handle_key
ALTER TABLE ONLY public.profiles
    ADD CONSTRAINT profiles_handle_key UNIQUE (handle);

-- CONSTRAINT: profiles profiles_pkey
ALTER TABLE ONLY public.profiles
    ADD CONSTRAINT profiles_pkey PRIMARY KEY (id);

-- INDEX: profiles_display_name_skeleton_idx
CREATE INDEX profiles_display_name_skeleton_idx ON public.profiles USING btree (display_name_skeleton);

-- INDEX: profiles_handle_skeleton_idx
CREATE INDEX profiles_handle_skeleton_idx ON public.profiles USING btree (handle_skeleton);

-- TRIGGER: profiles _005_sign_up_names
CREATE TRIGGER _005_sign_up_names BEFORE INSERT ON public.profiles FOR EACH ROW EXECUTE FUNCTION private.tg_profiles__sign_up_names();

-- TRIGGER: profiles _010_text_policy
CREATE TRIGGER _010_text_policy BEFORE INSERT OR UPDATE OF display_name, bio ON public.profiles FOR EACH ROW EXECUTE FUNCTION private.tg__text_policy('display_name:name', 'bio:text');

-- TRIGGER: profiles _050_guest_defaults
CREATE TRIGGER _050_guest_defaults BEFORE INSERT ON public.profiles FOR EACH ROW EXECUTE FUNCTION private.tg_profiles__guest_defaults();

-- TRIGGER: profiles _050_guest_rule
CREATE TRIGGER _050_guest_rule BEFORE UPDATE OF handle, display_name, bio ON public.profiles FOR EACH ROW WHEN (((new.handle IS DISTINCT FROM old.handle) OR (new.display_name IS DISTINCT FROM old.display_name) OR (new.bio IS DISTINCT FROM old.bio))) EXECUTE FUNCTION private.tg__guest_rule('edit_profile', 'change their name or bio');

-- TRIGGER: profiles _051_guest_avatar
CREATE TRIGGER _051_guest_avatar BEFORE UPDATE OF avatar_url ON public.profiles FOR EACH ROW WHEN ((new.avatar_url IS DISTINCT FROM old.avatar_url)) EXECUTE FUNCTION private.tg__guest_rule('upload_images', 'set an avatar');

-- TRIGGER: profiles _100_timestamps
CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON public.profiles FOR EACH ROW EXECUTE FUNCTION private.tg__timestamps();

-- TRIGGER: profiles _200_guard
CREATE TRIGGER _200_guard BEFORE UPDATE ON public.profiles FOR EACH ROW EXECUTE FUNCTION private.tg_profiles__guard();

-- TRIGGER: profiles _300_names
CREATE TRIGGER _300_names BEFORE INSERT OR UPDATE OF handle, display_name ON public.profiles FOR EACH ROW EXECUTE FUNCTION private.tg_profiles__names();

-- TRIGGER: profiles _900_constraint_errors
CREATE TRIGGER _900_constraint_errors BEFORE UPDATE OF handle, display_name, avatar_url, bio, is_dj ON public.profiles FOR EACH ROW EXECUTE FUNCTION private.tg__constraint_errors();

-- FK CONSTRAINT: profiles profiles_id_fkey
ALTER TABLE ONLY public.profiles
    ADD CONSTRAINT profiles_id_fkey FOREIGN KEY (id) REFERENCES auth.users(id) ON DELETE CASCADE;

-- POLICY: profiles Profiles are public
CREATE POLICY "Profiles are public" ON public.profiles FOR SELECT TO anon, authenticated USING (true);

-- POLICY: profiles Supabase Auth reads profiles for token claims
CREATE POLICY "Supabase Auth reads profiles for token claims" ON public.profiles FOR SELECT TO supabase_auth_admin USING (true);

-- POLICY: profiles Users can edit their own profile
CREATE POLICY "Users can edit their own profile" ON public.profiles FOR UPDATE TO authenticated USING ((id = ( SELECT auth.uid() AS uid))) WITH CHECK ((id = ( SELECT auth.uid() AS uid)));

-- ROW SECURITY: profiles
ALTER TABLE public.profiles ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE profiles
GRANT SELECT ON TABLE public.profiles TO anon;
GRANT SELECT ON TABLE public.profiles TO authenticated;
GRANT SELECT ON TABLE public.profiles TO supabase_auth_admin;

-- ACL: COLUMN profiles.handle
GRANT UPDATE(handle) ON TABLE public.profiles TO authenticated;

-- ACL: COLUMN profiles.display_name
GRANT UPDATE(display_name) ON TABLE public.profiles TO authenticated;

-- ACL: COLUMN profiles.avatar_url
GRANT UPDATE(avatar_url) ON TABLE public.profiles TO authenticated;

-- ACL: COLUMN profiles.bio
GRANT UPDATE(bio) ON TABLE public.profiles TO authenticated;

-- ACL: COLUMN profiles.is_dj
GRANT UPDATE(is_dj) ON TABLE public.profiles TO authenticated;
