-- TABLE: session_members
CREATE TABLE public.session_members (
    session_id uuid NOT NULL,
    user_id uuid NOT NULL,
    role public.member_role DEFAULT 'listener'::public.member_role NOT NULL,
    joined_at timestamp with time zone DEFAULT now() NOT NULL,
    last_seen_at timestamp with time zone DEFAULT now() NOT NULL,
    left_at timestamp with time zone,
    foreground boolean DEFAULT true NOT NULL
)
WITH (fillfactor='80');

-- COMMENT: TABLE session_members
COMMENT ON TABLE public.session_members IS 'Who is (or was) in a session. Present = left_at is NULL; heartbeats keep last_seen_at fresh.';

-- COMMENT: COLUMN session_members.session_id
COMMENT ON COLUMN public.session_members.session_id IS 'The session.';

-- COMMENT: COLUMN session_members.user_id
COMMENT ON COLUMN public.session_members.user_id IS 'The member.';

-- COMMENT: COLUMN session_members.role
COMMENT ON COLUMN public.session_members.role IS 'dj, cohost, moderator or listener.';

-- COMMENT: COLUMN session_members.joined_at
COMMENT ON COLUMN public.session_members.joined_at IS 'Latest (re)join.';

-- COMMENT: COLUMN session_members.last_seen_at
COMMENT ON COLUMN public.session_members.last_seen_at IS 'Latest heartbeat; stale members are dropped.';

-- COMMENT: COLUMN session_members.left_at
COMMENT ON COLUMN public.session_members.left_at IS 'When they left, were dropped as stale, or were removed; NULL while present.';

-- COMMENT: COLUMN session_members.foreground
COMMENT ON COLUMN public.session_members.foreground IS 'Whether the member''s app is in the foreground (subscribed or polling), as its last heartbeat said.';

-- CONSTRAINT: session_members session_members_pkey
ALTER TABLE ONLY public.session_members
    ADD CONSTRAINT session_members_pkey PRIMARY KEY (session_id, user_id);

-- INDEX: session_members_present_idx
CREATE INDEX session_members_present_idx ON public.session_members USING btree (session_id, user_id) WHERE (left_at IS NULL);

-- COMMENT: INDEX session_members_present_idx
COMMENT ON INDEX public.session_members_present_idx IS 'Present members of a room, by user: membership checks and counts.';

-- INDEX: session_members_present_team_idx
CREATE INDEX session_members_present_team_idx ON public.session_members USING btree (session_id) WHERE ((left_at IS NULL) AND (role <> 'listener'::public.member_role));

-- COMMENT: INDEX session_members_present_team_idx
COMMENT ON INDEX public.session_members_present_team_idx IS 'The DJ''s team present in a room (the staff lane''s recipients), without scanning the crowd.';

-- INDEX: session_members_user_idx
CREATE INDEX session_members_user_idx ON public.session_members USING btree (user_id);

-- FK CONSTRAINT: session_members session_members_session_id_fkey
ALTER TABLE ONLY public.session_members
    ADD CONSTRAINT session_members_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.dj_sessions(id) ON DELETE CASCADE;

-- FK CONSTRAINT: session_members session_members_user_id_fkey
ALTER TABLE ONLY public.session_members
    ADD CONSTRAINT session_members_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

-- POLICY: session_members Members are visible to the room
CREATE POLICY "Members are visible to the room" ON public.session_members FOR SELECT TO authenticated USING ((((session_id = ANY (ARRAY( SELECT hidden.my_room_ids() AS my_room_ids))) AND (user_id <> ALL (ARRAY( SELECT hidden.my_block_peers() AS my_block_peers)))) OR ( SELECT hidden.is_staff() AS is_staff)));

-- ROW SECURITY: session_members
ALTER TABLE public.session_members ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE session_members
GRANT SELECT ON TABLE public.session_members TO authenticated;
