-- TABLE: queue_items
CREATE TABLE public.queue_items (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    session_id uuid NOT NULL,
    track_id uuid NOT NULL,
    requested_by uuid,
    status public.queue_status DEFAULT 'queued'::public.queue_status NOT NULL,
    requested_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    upvotes integer DEFAULT 0 NOT NULL,
    downvotes integer DEFAULT 0 NOT NULL,
    boost integer DEFAULT 0 NOT NULL,
    fair_round integer DEFAULT 0 NOT NULL,
    pin_order integer,
    rank_key bigint[] NOT NULL,
    started_at timestamp with time zone,
    ended_at timestamp with time zone,
    skip_votes integer DEFAULT 0 NOT NULL,
    decided_by uuid,
    decision_reason text,
    CONSTRAINT queue_items_boost_check CHECK ((boost >= 0)),
    CONSTRAINT queue_items_decision_reason_check CHECK ((char_length(decision_reason) <= 500)),
    CONSTRAINT queue_items_downvotes_check CHECK ((downvotes >= 0)),
    CONSTRAINT queue_items_fair_round_check CHECK ((fair_round >= 0)),
    CONSTRAINT queue_items_skip_votes_check CHECK ((skip_votes >= 0)),
    CONSTRAINT queue_items_upvotes_check CHECK ((upvotes >= 0))
);

-- COMMENT: TABLE queue_items
COMMENT ON TABLE public.queue_items IS 'Requests in a session''s queue and their fate. Readable by the room.';

-- COMMENT: COLUMN queue_items.id
COMMENT ON COLUMN public.queue_items.id IS 'Queue item id.';

-- COMMENT: COLUMN queue_items.session_id
COMMENT ON COLUMN public.queue_items.session_id IS 'The session.';

-- COMMENT: COLUMN queue_items.track_id
COMMENT ON COLUMN public.queue_items.track_id IS 'The requested track.';

-- COMMENT: COLUMN queue_items.requested_by
COMMENT ON COLUMN public.queue_items.requested_by IS 'Who requested it first (their request counts as their upvote).';

-- COMMENT: COLUMN queue_items.status
COMMENT ON COLUMN public.queue_items.status IS 'queued, playing, played, skipped, rejected or withdrawn.';

-- COMMENT: COLUMN queue_items.requested_at
COMMENT ON COLUMN public.queue_items.requested_at IS 'When it was first requested.';

-- COMMENT: COLUMN queue_items.upvotes
COMMENT ON COLUMN public.queue_items.upvotes IS 'Up votes (exact; equals the count of +1 rows in queue_votes).';

-- COMMENT: COLUMN queue_items.downvotes
COMMENT ON COLUMN public.queue_items.downvotes IS 'Down votes (exact; equals the count of -1 rows in queue_votes).';

-- COMMENT: COLUMN queue_items.boost
COMMENT ON COLUMN public.queue_items.boost IS 'Vote-equivalents bought with tips; counted up to setting tip_boost_cap.';

-- COMMENT: COLUMN queue_items.fair_round
COMMENT ON COLUMN public.queue_items.fair_round IS 'The requester''s turn number for this item (fair_share and hybrid).';

-- COMMENT: COLUMN queue_items.pin_order
COMMENT ON COLUMN public.queue_items.pin_order IS 'Position in the DJ''s manual block (pinned/moved items come first); NULL when not pinned.';

-- COMMENT: COLUMN queue_items.rank_key
COMMENT ON COLUMN public.queue_items.rank_key IS 'queue_rank_key_v1() of this item: the queue sorts by (rank_key, id).';

-- COMMENT: COLUMN queue_items.started_at
COMMENT ON COLUMN public.queue_items.started_at IS 'When it started playing (clients sync progress from it).';

-- COMMENT: COLUMN queue_items.ended_at
COMMENT ON COLUMN public.queue_items.ended_at IS 'When it stopped playing or left the queue.';

-- COMMENT: COLUMN queue_items.skip_votes
COMMENT ON COLUMN public.queue_items.skip_votes IS 'Vote-to-skip count while playing.';

-- COMMENT: COLUMN queue_items.decided_by
COMMENT ON COLUMN public.queue_items.decided_by IS 'Who rejected or skipped it.';

-- COMMENT: COLUMN queue_items.decision_reason
COMMENT ON COLUMN public.queue_items.decision_reason IS 'Why it was rejected or skipped.';

-- CONSTRAINT: queue_items queue_items_pkey
ALTER TABLE ONLY public.queue_items
    ADD CONSTRAINT queue_items_pkey PRIMARY KEY (id);

-- INDEX: queue_items_decided_by_idx
CREATE INDEX queue_items_decided_by_idx ON public.queue_items USING btree (decided_by) WHERE (decided_by IS NOT NULL);

-- INDEX: queue_items_one_open_per_track
CREATE UNIQUE INDEX queue_items_one_open_per_track ON public.queue_items USING btree (session_id, track_id) WHERE (status = ANY (ARRAY['queued'::public.queue_status, 'playing'::public.queue_status]));

-- INDEX: queue_items_one_playing
CREATE UNIQUE INDEX queue_items_one_playing ON public.queue_items USING btree (session_id) WHERE (status = 'playing'::public.queue_status);

-- INDEX: queue_items_requester_idx
CREATE INDEX queue_items_requester_idx ON public.queue_items USING btree (requested_by, session_id, status);

-- INDEX: queue_items_top_idx
CREATE INDEX queue_items_top_idx ON public.queue_items USING btree (session_id, rank_key, id) WHERE (status = 'queued'::public.queue_status);

-- INDEX: queue_items_track_idx
CREATE INDEX queue_items_track_idx ON public.queue_items USING btree (track_id);

-- TRIGGER: queue_items _010_text_policy
CREATE TRIGGER _010_text_policy BEFORE INSERT OR UPDATE OF decision_reason ON public.queue_items FOR EACH ROW EXECUTE FUNCTION private.tg__text_policy('decision_reason:text');

-- TRIGGER: queue_items _500_status
CREATE TRIGGER _500_status AFTER UPDATE OF status ON public.queue_items FOR EACH ROW WHEN ((old.status IS DISTINCT FROM new.status)) EXECUTE FUNCTION private.tg_queue_items__status();

-- TRIGGER: queue_items _600_realtime
CREATE TRIGGER _600_realtime AFTER INSERT OR UPDATE OF status, pin_order, upvotes, downvotes, skip_votes ON public.queue_items FOR EACH ROW EXECUTE FUNCTION private.tg_queue_items__realtime();

-- FK CONSTRAINT: queue_items queue_items_decided_by_fkey
ALTER TABLE ONLY public.queue_items
    ADD CONSTRAINT queue_items_decided_by_fkey FOREIGN KEY (decided_by) REFERENCES public.profiles(id) ON DELETE SET NULL;

-- FK CONSTRAINT: queue_items queue_items_requested_by_fkey
ALTER TABLE ONLY public.queue_items
    ADD CONSTRAINT queue_items_requested_by_fkey FOREIGN KEY (requested_by) REFERENCES public.profiles(id) ON DELETE SET NULL;

-- FK CONSTRAINT: queue_items queue_items_session_id_fkey
ALTER TABLE ONLY public.queue_items
    ADD CONSTRAINT queue_items_session_id_fkey FOREIGN KEY (session_id) REFERENCES public.dj_sessions(id) ON DELETE CASCADE;

-- FK CONSTRAINT: queue_items queue_items_track_id_fkey
ALTER TABLE ONLY public.queue_items
    ADD CONSTRAINT queue_items_track_id_fkey FOREIGN KEY (track_id) REFERENCES public.tracks(id) ON DELETE RESTRICT;

-- POLICY: queue_items The room reads its queue
CREATE POLICY "The room reads its queue" ON public.queue_items FOR SELECT TO authenticated USING (((session_id = ANY (ARRAY( SELECT hidden.my_room_ids() AS my_room_ids))) OR ( SELECT hidden.is_staff() AS is_staff)));

-- ROW SECURITY: queue_items
ALTER TABLE public.queue_items ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE queue_items
GRANT SELECT ON TABLE public.queue_items TO authenticated;
