-- TABLE: skip_votes
CREATE TABLE public.skip_votes (
    item_id uuid NOT NULL,
    user_id uuid NOT NULL,
    voted_at timestamp with time zone DEFAULT now() NOT NULL
);

-- COMMENT: TABLE skip_votes
COMMENT ON TABLE public.skip_votes IS 'Votes to skip the playing track.';

-- COMMENT: COLUMN skip_votes.item_id
COMMENT ON COLUMN public.skip_votes.item_id IS 'The playing item.';

-- COMMENT: COLUMN skip_votes.user_id
COMMENT ON COLUMN public.skip_votes.user_id IS 'The voter.';

-- COMMENT: COLUMN skip_votes.voted_at
COMMENT ON COLUMN public.skip_votes.voted_at IS 'When.';

-- CONSTRAINT: skip_votes skip_votes_pkey
ALTER TABLE ONLY public.skip_votes
    ADD CONSTRAINT skip_votes_pkey PRIMARY KEY (item_id, user_id);

-- INDEX: skip_votes_user_idx
CREATE INDEX skip_votes_user_idx ON public.skip_votes USING btree (user_id);

-- FK CONSTRAINT: skip_votes skip_votes_item_id_fkey
ALTER TABLE ONLY public.skip_votes
    ADD CONSTRAINT skip_votes_item_id_fkey FOREIGN KEY (item_id) REFERENCES public.queue_items(id) ON DELETE CASCADE;

-- FK CONSTRAINT: skip_votes skip_votes_user_id_fkey
ALTER TABLE ONLY public.skip_votes
    ADD CONSTRAINT skip_votes_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

-- POLICY: skip_votes Voters see their own skip votes
CREATE POLICY "Voters see their own skip votes" ON public.skip_votes FOR SELECT TO authenticated USING ((user_id = ( SELECT auth.uid() AS uid)));

-- ROW SECURITY: skip_votes
ALTER TABLE public.skip_votes ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE skip_votes
GRANT SELECT ON TABLE public.skip_votes TO authenticated;
