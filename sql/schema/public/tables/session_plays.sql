-- TABLE: session_plays
CREATE TABLE public.session_plays (
    id bigint NOT NULL,
    session_id uuid NOT NULL,
    item_id uuid NOT NULL,
    track_id uuid NOT NULL,
    requested_by uuid,
    outcome text NOT NULL,
    started_at timestamp with time zone NOT NULL,
    ended_at timestamp with time zone NOT NULL,
    upvotes integer NOT NULL,
    downvotes integer NOT NULL,
    skip_votes integer NOT NULL,
    reason text,
    CONSTRAINT session_plays_outcome_check CHECK ((outcome = ANY (ARRAY['played'::text, 'skipped'::text])))
);

-- COMMENT: TABLE session_plays
COMMENT ON TABLE public.session_plays IS 'Append-only log of what played in a session and how it was received; kept after the session ends.';

-- COMMENT: COLUMN session_plays.id
COMMENT ON COLUMN public.session_plays.id IS 'Order of plays.';

-- COMMENT: COLUMN session_plays.session_id
COMMENT ON COLUMN public.session_plays.session_id IS 'The session.';

-- COMMENT: COLUMN session_plays.item_id
COMMENT ON COLUMN public.session_plays.item_id IS 'The queue item that played.';

-- COMMENT: COLUMN session_plays.track_id
COMMENT ON COLUMN public.session_plays.track_id IS 'The track.';

-- COMMENT: COLUMN session_plays.requested_by
COMMENT ON COLUMN public.session_plays.requested_by IS 'Who requested it.';

-- COMMENT: COLUMN session_plays.outcome
COMMENT ON COLUMN public.session_plays.outcome IS 'played (to the end or advanced) or skipped.';

-- COMMENT: COLUMN session_plays.started_at
COMMENT ON COLUMN public.session_plays.started_at IS 'When it started.';

-- COMMENT: COLUMN session_plays.ended_at
COMMENT ON COLUMN public.session_plays.ended_at IS 'When it stopped.';

-- COMMENT: COLUMN session_plays.upvotes
COMMENT ON COLUMN public.session_plays.upvotes IS 'Up votes when it ended (reception).';

-- COMMENT: COLUMN session_plays.downvotes
COMMENT ON COLUMN public.session_plays.downvotes IS 'Down votes when it ended.';

-- COMMENT: COLUMN session_plays.skip_votes
COMMENT ON COLUMN public.session_plays.skip_votes IS 'Skip votes when it ended.';

-- COMMENT: COLUMN session_plays.reason
COMMENT ON COLUMN public.session_plays.reason IS 'Why it was skipped.';

-- SEQUENCE: session_plays_id_seq
ALTER TABLE public.session_plays ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.session_plays_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

-- CONSTRAINT: session_plays session_plays_pkey
ALTER TABLE ONLY public.session_plays
    ADD CONSTRAINT session_plays_pkey PRIMARY KEY (id);

-- INDEX: session_plays_session_idx
CREATE INDEX session_plays_session_idx ON public.session_plays USING btree (session_id, id);

-- TRIGGER: session_plays _100_append_only
CREATE TRIGGER _100_append_only BEFORE DELETE OR UPDATE ON public.session_plays FOR EACH ROW EXECUTE FUNCTION private.tg_session_plays__append_only();

-- POLICY: session_plays Anyone who can see the session reads its plays
CREATE POLICY "Anyone who can see the session reads its plays" ON public.session_plays FOR SELECT TO authenticated USING ((EXISTS ( SELECT 1
   FROM public.dj_sessions s
  WHERE (s.id = session_plays.session_id))));

-- ROW SECURITY: session_plays
ALTER TABLE public.session_plays ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE session_plays
GRANT SELECT ON TABLE public.session_plays TO authenticated;
