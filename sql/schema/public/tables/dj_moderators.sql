-- TABLE: dj_moderators
CREATE TABLE public.dj_moderators (
    dj_id uuid NOT NULL,
    user_id uuid NOT NULL,
    appointed_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT dj_moderators_check CHECK ((dj_id <> user_id))
);

-- COMMENT: TABLE dj_moderators
COMMENT ON TABLE public.dj_moderators IS 'Moderators a DJ appointed; they moderate all of that DJ''s sessions.';

-- COMMENT: COLUMN dj_moderators.dj_id
COMMENT ON COLUMN public.dj_moderators.dj_id IS 'The DJ.';

-- COMMENT: COLUMN dj_moderators.user_id
COMMENT ON COLUMN public.dj_moderators.user_id IS 'The moderator.';

-- COMMENT: COLUMN dj_moderators.appointed_by
COMMENT ON COLUMN public.dj_moderators.appointed_by IS 'Who appointed them (the DJ).';

-- COMMENT: COLUMN dj_moderators.created_at
COMMENT ON COLUMN public.dj_moderators.created_at IS 'When.';

-- CONSTRAINT: dj_moderators dj_moderators_pkey
ALTER TABLE ONLY public.dj_moderators
    ADD CONSTRAINT dj_moderators_pkey PRIMARY KEY (dj_id, user_id);

-- INDEX: dj_moderators_appointed_by_idx
CREATE INDEX dj_moderators_appointed_by_idx ON public.dj_moderators USING btree (appointed_by);

-- INDEX: dj_moderators_user_idx
CREATE INDEX dj_moderators_user_idx ON public.dj_moderators USING btree (user_id);

-- TRIGGER: dj_moderators _200_apply
CREATE TRIGGER _200_apply BEFORE INSERT OR DELETE ON public.dj_moderators FOR EACH ROW EXECUTE FUNCTION private.tg_dj_moderators__apply();

-- TRIGGER: dj_moderators _900_constraint_errors
CREATE TRIGGER _900_constraint_errors BEFORE INSERT ON public.dj_moderators FOR EACH ROW EXECUTE FUNCTION private.tg__constraint_errors();

-- FK CONSTRAINT: dj_moderators dj_moderators_appointed_by_fkey
ALTER TABLE ONLY public.dj_moderators
    ADD CONSTRAINT dj_moderators_appointed_by_fkey FOREIGN KEY (appointed_by) REFERENCES public.profiles(id) ON DELETE SET NULL;

-- FK CONSTRAINT: dj_moderators dj_moderators_dj_id_fkey
ALTER TABLE ONLY public.dj_moderators
    ADD CONSTRAINT dj_moderators_dj_id_fkey FOREIGN KEY (dj_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

-- FK CONSTRAINT: dj_moderators dj_moderators_user_id_fkey
ALTER TABLE ONLY public.dj_moderators
    ADD CONSTRAINT dj_moderators_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

-- POLICY: dj_moderators DJs appoint their moderators
CREATE POLICY "DJs appoint their moderators" ON public.dj_moderators FOR INSERT TO authenticated WITH CHECK ((dj_id = ( SELECT auth.uid() AS uid)));

-- POLICY: dj_moderators DJs remove their moderators
CREATE POLICY "DJs remove their moderators" ON public.dj_moderators FOR DELETE TO authenticated USING ((dj_id = ( SELECT auth.uid() AS uid)));

-- POLICY: dj_moderators Moderator lists are public to signed-in users
CREATE POLICY "Moderator lists are public to signed-in users" ON public.dj_moderators FOR SELECT TO authenticated USING (true);

-- ROW SECURITY: dj_moderators
ALTER TABLE public.dj_moderators ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE dj_moderators
GRANT SELECT,DELETE ON TABLE public.dj_moderators TO authenticated;

-- ACL: COLUMN dj_moderators.dj_id
GRANT INSERT(dj_id) ON TABLE public.dj_moderators TO authenticated;

-- ACL: COLUMN dj_moderators.user_id
GRANT INSERT(user_id) ON TABLE public.dj_moderators TO authenticated;
