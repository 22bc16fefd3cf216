-- TABLE: follows
CREATE TABLE public.follows (
    follower_id uuid NOT NULL,
    followee_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT follows_check CHECK ((follower_id <> followee_id))
);

-- COMMENT: TABLE follows
COMMENT ON TABLE public.follows IS 'Who follows whom. Users see the follows they are part of.';

-- COMMENT: COLUMN follows.follower_id
COMMENT ON COLUMN public.follows.follower_id IS 'The user who follows.';

-- COMMENT: COLUMN follows.followee_id
COMMENT ON COLUMN public.follows.followee_id IS 'The user (usually a DJ) being followed.';

-- COMMENT: COLUMN follows.created_at
COMMENT ON COLUMN public.follows.created_at IS 'Since when (followers-only chat checks a minimum follow age).';

-- CONSTRAINT: follows follows_pkey
ALTER TABLE ONLY public.follows
    ADD CONSTRAINT follows_pkey PRIMARY KEY (follower_id, followee_id);

-- INDEX: follows_followee_idx
CREATE INDEX follows_followee_idx ON public.follows USING btree (followee_id, created_at);

-- TRIGGER: follows _050_guest_rule
CREATE TRIGGER _050_guest_rule BEFORE INSERT ON public.follows FOR EACH ROW EXECUTE FUNCTION private.tg__guest_rule('follow', 'follow users');

-- TRIGGER: follows _100_check
CREATE TRIGGER _100_check BEFORE INSERT ON public.follows FOR EACH ROW EXECUTE FUNCTION private.tg_follows__check();

-- TRIGGER: follows _500_count
CREATE TRIGGER _500_count AFTER INSERT OR DELETE ON public.follows FOR EACH ROW EXECUTE FUNCTION private.tg_follows__count();

-- TRIGGER: follows _900_constraint_errors
CREATE TRIGGER _900_constraint_errors BEFORE INSERT ON public.follows FOR EACH ROW EXECUTE FUNCTION private.tg__constraint_errors();

-- FK CONSTRAINT: follows follows_followee_id_fkey
ALTER TABLE ONLY public.follows
    ADD CONSTRAINT follows_followee_id_fkey FOREIGN KEY (followee_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

-- FK CONSTRAINT: follows follows_follower_id_fkey
ALTER TABLE ONLY public.follows
    ADD CONSTRAINT follows_follower_id_fkey FOREIGN KEY (follower_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

-- POLICY: follows Users can follow as themselves
CREATE POLICY "Users can follow as themselves" ON public.follows FOR INSERT TO authenticated WITH CHECK ((follower_id = ( SELECT auth.uid() AS uid)));

-- POLICY: follows Users can see follows they are part of
CREATE POLICY "Users can see follows they are part of" ON public.follows FOR SELECT TO authenticated USING (((follower_id = ( SELECT auth.uid() AS uid)) OR (followee_id = ( SELECT auth.uid() AS uid))));

-- POLICY: follows Users can unfollow
CREATE POLICY "Users can unfollow" ON public.follows FOR DELETE TO authenticated USING ((follower_id = ( SELECT auth.uid() AS uid)));

-- ROW SECURITY: follows
ALTER TABLE public.follows ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE follows
GRANT SELECT,DELETE ON TABLE public.follows TO authenticated;

-- ACL: COLUMN follows.follower_id
GRANT INSERT(follower_id) ON TABLE public.follows TO authenticated;

-- ACL: COLUMN follows.followee_id
GRANT INSERT(followee_id) ON TABLE public.follows TO authenticated;
