-- TABLE: push_preferences
CREATE TABLE public.push_preferences (
    user_id uuid NOT NULL,
    disabled_kinds public.notification_kind[] DEFAULT '{}'::public.notification_kind[] NOT NULL,
    time_zone text DEFAULT 'UTC'::text NOT NULL,
    quiet_start time without time zone,
    quiet_end time without time zone,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT push_preferences_check CHECK (((quiet_start IS NULL) = (quiet_end IS NULL)))
);

-- COMMENT: TABLE push_preferences
COMMENT ON TABLE public.push_preferences IS 'What a user wants pushed (the in-app feed always has everything).';

-- COMMENT: COLUMN push_preferences.user_id
COMMENT ON COLUMN public.push_preferences.user_id IS 'The user.';

-- COMMENT: COLUMN push_preferences.disabled_kinds
COMMENT ON COLUMN public.push_preferences.disabled_kinds IS 'Notification kinds never pushed to them.';

-- COMMENT: COLUMN push_preferences.time_zone
COMMENT ON COLUMN public.push_preferences.time_zone IS 'IANA time zone their quiet hours are in (e.g. Europe/Madrid).';

-- COMMENT: COLUMN push_preferences.quiet_start
COMMENT ON COLUMN public.push_preferences.quiet_start IS 'Quiet hours start (local time); NULL: none.';

-- COMMENT: COLUMN push_preferences.quiet_end
COMMENT ON COLUMN public.push_preferences.quiet_end IS 'Quiet hours end (local time); may be before the start (overnight).';

-- COMMENT: COLUMN push_preferences.updated_at
COMMENT ON COLUMN public.push_preferences.updated_at IS 'Last change.';

-- CONSTRAINT: push_preferences push_preferences_pkey
ALTER TABLE ONLY public.push_preferences
    ADD CONSTRAINT push_preferences_pkey PRIMARY KEY (user_id);

-- FK CONSTRAINT: push_preferences push_preferences_user_id_fkey
ALTER TABLE ONLY public.push_preferences
    ADD CONSTRAINT push_preferences_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

-- POLICY: push_preferences Users see their own push preferences
CREATE POLICY "Users see their own push preferences" ON public.push_preferences FOR SELECT TO authenticated USING ((user_id = ( SELECT auth.uid() AS uid)));

-- ROW SECURITY: push_preferences
ALTER TABLE public.push_preferences ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE push_preferences
GRANT SELECT ON TABLE public.push_preferences TO authenticated;
