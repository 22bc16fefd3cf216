-- TABLE: queue_votes
CREATE TABLE public.queue_votes (
    item_id uuid NOT NULL,
    user_id uuid NOT NULL,
    session_id uuid NOT NULL,
    value smallint NOT NULL,
    voted_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT queue_votes_value_check CHECK ((value = ANY (ARRAY['-1'::integer, 1])))
);

-- COMMENT: TABLE queue_votes
COMMENT ON TABLE public.queue_votes IS 'One up or down vote per listener per item. Voters see their own votes; the room''s team sees who voted.';

-- COMMENT: COLUMN queue_votes.item_id
COMMENT ON COLUMN public.queue_votes.item_id IS 'The queue item.';

-- COMMENT: COLUMN queue_votes.user_id
COMMENT ON COLUMN public.queue_votes.user_id IS 'The voter.';

-- COMMENT: COLUMN queue_votes.session_id
COMMENT ON COLUMN public.queue_votes.session_id IS 'The item''s session (denormalised for the team''s view).';

-- COMMENT: COLUMN queue_votes.value
COMMENT ON COLUMN public.queue_votes.value IS '+1 or -1.';

-- COMMENT: COLUMN queue_votes.voted_at
COMMENT ON COLUMN public.queue_votes.voted_at IS 'When the vote was last cast or changed.';

-- CONSTRAINT: queue_votes queue_votes_pkey
ALTER TABLE ONLY public.queue_votes
    ADD CONSTRAINT queue_votes_pkey PRIMARY KEY (item_id, user_id);

-- INDEX: queue_votes_session_idx
CREATE INDEX queue_votes_session_idx ON public.queue_votes USING btree (session_id);

-- INDEX: queue_votes_user_idx
CREATE INDEX queue_votes_user_idx ON public.queue_votes USING btree (user_id, session_id);

-- FK CONSTRAINT: queue_votes queue_votes_item_id_fkey
ALTER TABLE ONLY public.queue_votes
    ADD CONSTRAINT queue_votes_item_id_fkey FOREIGN KEY (item_id) REFERENCES public.queue_items(id) ON DELETE CASCADE;

-- FK CONSTRAINT: queue_votes queue_votes_user_id_fkey
ALTER TABLE ONLY public.queue_votes
    ADD CONSTRAINT queue_votes_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

-- POLICY: queue_votes Voters see their votes; the team sees all in its rooms
CREATE POLICY "Voters see their votes; the team sees all in its rooms" ON public.queue_votes FOR SELECT TO authenticated USING (((user_id = ( SELECT auth.uid() AS uid)) OR (session_id = ANY (ARRAY( SELECT hidden.my_moderated_room_ids() AS my_moderated_room_ids)))));

-- ROW SECURITY: queue_votes
ALTER TABLE public.queue_votes ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE queue_votes
GRANT SELECT ON TABLE public.queue_votes TO authenticated;
