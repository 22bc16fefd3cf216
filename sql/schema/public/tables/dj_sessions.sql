-- TABLE: dj_sessions
CREATE TABLE public.dj_sessions (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    dj_id uuid DEFAULT auth.uid() NOT NULL,
    title text NOT NULL,
    description text DEFAULT ''::text NOT NULL,
    genre_tags text[] DEFAULT '{}'::text[] NOT NULL,
    cover_url text,
    visibility public.session_visibility DEFAULT 'public'::public.session_visibility NOT NULL,
    status public.session_status DEFAULT 'scheduled'::public.session_status NOT NULL,
    scheduled_for timestamp with time zone,
    started_at timestamp with time zone,
    ended_at timestamp with time zone,
    slow_mode_seconds integer DEFAULT 0 NOT NULL,
    followers_only_minutes integer,
    subscribers_only boolean DEFAULT false NOT NULL,
    emote_only boolean DEFAULT false NOT NULL,
    requests_open boolean DEFAULT true NOT NULL,
    listener_count integer DEFAULT 0 NOT NULL,
    peak_listener_count integer DEFAULT 0 NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    queue_policy public.queue_policy DEFAULT 'hybrid'::public.queue_policy NOT NULL,
    queue_locked boolean DEFAULT false NOT NULL,
    allow_explicit boolean DEFAULT true NOT NULL,
    max_track_seconds integer,
    request_limit integer DEFAULT 3 NOT NULL,
    skip_mode public.skip_mode DEFAULT 'percent'::public.skip_mode NOT NULL,
    skip_percent integer DEFAULT 50 NOT NULL,
    skip_log_factor numeric DEFAULT 3 NOT NULL,
    foreground_count integer DEFAULT 0 NOT NULL,
    announcement text,
    announced_by uuid,
    announced_at timestamp with time zone,
    CONSTRAINT dj_sessions_announcement_check CHECK (((char_length(announcement) >= 1) AND (char_length(announcement) <= 280))),
    CONSTRAINT dj_sessions_check CHECK (((status <> 'live'::public.session_status) OR (started_at IS NOT NULL))),
    CONSTRAINT dj_sessions_check1 CHECK (((status <> 'ended'::public.session_status) OR (ended_at IS NOT NULL))),
    CONSTRAINT dj_sessions_cover_url_check CHECK (((cover_url ~ '^https://'::text) AND (char_length(cover_url) <= 2048))),
    CONSTRAINT dj_sessions_description_check CHECK ((char_length(description) <= 1000)),
    CONSTRAINT dj_sessions_followers_only_minutes_check CHECK (((followers_only_minutes >= 0) AND (followers_only_minutes <= 525600))),
    CONSTRAINT dj_sessions_foreground_count_check CHECK ((foreground_count >= 0)),
    CONSTRAINT dj_sessions_genre_tags_check CHECK (((cardinality(genre_tags) <= 5) AND (array_to_string(genre_tags, ','::text) ~ '^([a-z0-9][a-z0-9-]{0,23}(,|$))*$'::text))),
    CONSTRAINT dj_sessions_listener_count_check CHECK ((listener_count >= 0)),
    CONSTRAINT dj_sessions_max_track_seconds_check CHECK (((max_track_seconds >= 30) AND (max_track_seconds <= 10800))),
    CONSTRAINT dj_sessions_peak_listener_count_check CHECK ((peak_listener_count >= 0)),
    CONSTRAINT dj_sessions_request_limit_check CHECK (((request_limit >= 1) AND (request_limit <= 50))),
    CONSTRAINT dj_sessions_skip_log_factor_check CHECK (((skip_log_factor > (0)::numeric) AND (skip_log_factor <= (20)::numeric))),
    CONSTRAINT dj_sessions_skip_percent_check CHECK (((skip_percent >= 1) AND (skip_percent <= 100))),
    CONSTRAINT dj_sessions_slow_mode_seconds_check CHECK (((slow_mode_seconds >= 0) AND (slow_mode_seconds <= 3600))),
    CONSTRAINT dj_sessions_title_check CHECK (((char_length(btrim(title)) >= 1) AND (char_length(btrim(title)) <= 100)))
);

-- COMMENT: TABLE dj_sessions
COMMENT ON TABLE public.dj_sessions IS 'DJ sessions (rooms): scheduled, live or ended. Visibility is enforced by RLS.';

-- COMMENT: COLUMN dj_sessions.id
COMMENT ON COLUMN public.dj_sessions.id IS 'Session id.';

-- COMMENT: COLUMN dj_sessions.dj_id
COMMENT ON COLUMN public.dj_sessions.dj_id IS 'The hosting DJ (defaults to the caller).';

-- COMMENT: COLUMN dj_sessions.title
COMMENT ON COLUMN public.dj_sessions.title IS 'Title, 1-100 characters.';

-- COMMENT: COLUMN dj_sessions.description
COMMENT ON COLUMN public.dj_sessions.description IS 'Longer description, up to 1000 characters.';

-- COMMENT: COLUMN dj_sessions.genre_tags
COMMENT ON COLUMN public.dj_sessions.genre_tags IS 'Up to 5 tags of [a-z0-9-] (1-24 long), e.g. {house,deep-house}.';

-- COMMENT: COLUMN dj_sessions.cover_url
COMMENT ON COLUMN public.dj_sessions.cover_url IS 'https URL of the cover image.';

-- COMMENT: COLUMN dj_sessions.visibility
COMMENT ON COLUMN public.dj_sessions.visibility IS 'Who may see and join: public, followers or private.';

-- COMMENT: COLUMN dj_sessions.status
COMMENT ON COLUMN public.dj_sessions.status IS 'scheduled, live or ended.';

-- COMMENT: COLUMN dj_sessions.scheduled_for
COMMENT ON COLUMN public.dj_sessions.scheduled_for IS 'Planned start (scheduled sessions).';

-- COMMENT: COLUMN dj_sessions.started_at
COMMENT ON COLUMN public.dj_sessions.started_at IS 'When it went live.';

-- COMMENT: COLUMN dj_sessions.ended_at
COMMENT ON COLUMN public.dj_sessions.ended_at IS 'When it ended or was cancelled.';

-- COMMENT: COLUMN dj_sessions.slow_mode_seconds
COMMENT ON COLUMN public.dj_sessions.slow_mode_seconds IS 'Chat slow mode: seconds between two messages of a listener; 0 = off.';

-- COMMENT: COLUMN dj_sessions.followers_only_minutes
COMMENT ON COLUMN public.dj_sessions.followers_only_minutes IS 'Followers-only chat: minimum follow age in minutes (0 = any follower); NULL = off.';

-- COMMENT: COLUMN dj_sessions.subscribers_only
COMMENT ON COLUMN public.dj_sessions.subscribers_only IS 'Only subscribers (and staff of the room) may chat.';

-- COMMENT: COLUMN dj_sessions.emote_only
COMMENT ON COLUMN public.dj_sessions.emote_only IS 'Chat messages may contain only emotes and emoji.';

-- COMMENT: COLUMN dj_sessions.requests_open
COMMENT ON COLUMN public.dj_sessions.requests_open IS 'Whether listeners may request songs.';

-- COMMENT: COLUMN dj_sessions.listener_count
COMMENT ON COLUMN public.dj_sessions.listener_count IS 'Listeners present now (refreshed from heartbeats every few seconds).';

-- COMMENT: COLUMN dj_sessions.peak_listener_count
COMMENT ON COLUMN public.dj_sessions.peak_listener_count IS 'Highest listener_count seen.';

-- COMMENT: COLUMN dj_sessions.created_at
COMMENT ON COLUMN public.dj_sessions.created_at IS 'Creation time.';

-- COMMENT: COLUMN dj_sessions.updated_at
COMMENT ON COLUMN public.dj_sessions.updated_at IS 'Last change.';

-- COMMENT: COLUMN dj_sessions.queue_policy
COMMENT ON COLUMN public.dj_sessions.queue_policy IS 'votes, fair_share or hybrid.';

-- COMMENT: COLUMN dj_sessions.queue_locked
COMMENT ON COLUMN public.dj_sessions.queue_locked IS 'Locked: no requests, votes or withdrawals; the DJ''s team can still run it.';

-- COMMENT: COLUMN dj_sessions.allow_explicit
COMMENT ON COLUMN public.dj_sessions.allow_explicit IS 'Whether explicit tracks may be requested.';

-- COMMENT: COLUMN dj_sessions.max_track_seconds
COMMENT ON COLUMN public.dj_sessions.max_track_seconds IS 'Longest track that may be requested; NULL = no limit.';

-- COMMENT: COLUMN dj_sessions.request_limit
COMMENT ON COLUMN public.dj_sessions.request_limit IS 'Open requests per listener (subscribers get setting subscriber_request_limit if higher).';

-- COMMENT: COLUMN dj_sessions.skip_mode
COMMENT ON COLUMN public.dj_sessions.skip_mode IS 'Vote-to-skip: off, percent or log.';

-- COMMENT: COLUMN dj_sessions.skip_percent
COMMENT ON COLUMN public.dj_sessions.skip_percent IS 'percent mode: share of present listeners needed to skip.';

-- COMMENT: COLUMN dj_sessions.skip_log_factor
COMMENT ON COLUMN public.dj_sessions.skip_log_factor IS 'log mode: votes needed = ceil(factor * ln(present + 1)).';

-- COMMENT: COLUMN dj_sessions.foreground_count
COMMENT ON COLUMN public.dj_sessions.foreground_count IS 'Present members (the DJ''s team included) whose app is in the foreground: who receives the room''s broadcasts or polls it (refreshed with listener_count).';

-- COMMENT: COLUMN dj_sessions.announcement
COMMENT ON COLUMN public.dj_sessions.announcement IS 'The announcement pinned to the room (1-280 characters), or NULL.';

-- COMMENT: COLUMN dj_sessions.announced_by
COMMENT ON COLUMN public.dj_sessions.announced_by IS 'Who of the DJ''s team pinned it.';

-- COMMENT: COLUMN dj_sessions.announced_at
COMMENT ON COLUMN public.dj_sessions.announced_at IS 'When it was pinned (or cleared).';

-- COMMENT: CONSTRAINT dj_sessions_followers_only_minutes_check ON dj_sessions
COMMENT ON CONSTRAINT dj_sessions_followers_only_minutes_check ON public.dj_sessions IS 'Followers-only is 0 to 525600 minutes (a year), or null for off.';

-- COMMENT: CONSTRAINT dj_sessions_max_track_seconds_check ON dj_sessions
COMMENT ON CONSTRAINT dj_sessions_max_track_seconds_check ON public.dj_sessions IS 'The longest track is 30 seconds to 3 hours (10800), or null for no limit.';

-- COMMENT: CONSTRAINT dj_sessions_request_limit_check ON dj_sessions
COMMENT ON CONSTRAINT dj_sessions_request_limit_check ON public.dj_sessions IS 'Open requests per listener: 1 to 50.';

-- COMMENT: CONSTRAINT dj_sessions_skip_log_factor_check ON dj_sessions
COMMENT ON CONSTRAINT dj_sessions_skip_log_factor_check ON public.dj_sessions IS 'The skip log factor is above 0 and at most 20.';

-- COMMENT: CONSTRAINT dj_sessions_skip_percent_check ON dj_sessions
COMMENT ON CONSTRAINT dj_sessions_skip_percent_check ON public.dj_sessions IS 'The skip percentage is 1 to 100.';

-- COMMENT: CONSTRAINT dj_sessions_slow_mode_seconds_check ON dj_sessions
COMMENT ON CONSTRAINT dj_sessions_slow_mode_seconds_check ON public.dj_sessions IS 'Slow mode is 0 (off) to 3600 seconds.';

-- CONSTRAINT: dj_sessions dj_sessions_pkey
ALTER TABLE ONLY public.dj_sessions
    ADD CONSTRAINT dj_sessions_pkey PRIMARY KEY (id);

-- INDEX: dj_sessions_announced_by_idx
CREATE INDEX dj_sessions_announced_by_idx ON public.dj_sessions USING btree (announced_by) WHERE (announced_by IS NOT NULL);

-- INDEX: dj_sessions_dj_idx
CREATE INDEX dj_sessions_dj_idx ON public.dj_sessions USING btree (dj_id, created_at DESC);

-- INDEX: dj_sessions_live_directory_idx
CREATE INDEX dj_sessions_live_directory_idx ON public.dj_sessions USING btree (listener_count DESC, started_at DESC, id DESC) WHERE (status = 'live'::public.session_status);

-- INDEX: dj_sessions_one_live_per_dj
CREATE UNIQUE INDEX dj_sessions_one_live_per_dj ON public.dj_sessions USING btree (dj_id) WHERE (status = 'live'::public.session_status);

-- INDEX: dj_sessions_upcoming_idx
CREATE INDEX dj_sessions_upcoming_idx ON public.dj_sessions USING btree (scheduled_for, id) WHERE (status = 'scheduled'::public.session_status);

-- TRIGGER: dj_sessions _010_text_policy
CREATE TRIGGER _010_text_policy BEFORE INSERT OR UPDATE OF title, description, announcement ON public.dj_sessions FOR EACH ROW EXECUTE FUNCTION private.tg__text_policy('title:name', 'description:text', 'announcement:text');

-- TRIGGER: dj_sessions _100_timestamps
CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON public.dj_sessions FOR EACH ROW EXECUTE FUNCTION private.tg__timestamps();

-- TRIGGER: dj_sessions _200_guard
CREATE TRIGGER _200_guard BEFORE INSERT OR UPDATE ON public.dj_sessions FOR EACH ROW EXECUTE FUNCTION private.tg_dj_sessions__guard();

-- TRIGGER: dj_sessions _500_after
CREATE TRIGGER _500_after AFTER INSERT OR UPDATE OF visibility, status ON public.dj_sessions FOR EACH ROW EXECUTE FUNCTION private.tg_dj_sessions__after();

-- TRIGGER: dj_sessions _500_delete_chat
CREATE TRIGGER _500_delete_chat AFTER DELETE ON public.dj_sessions FOR EACH ROW EXECUTE FUNCTION private.tg_dj_sessions__delete_chat();

-- TRIGGER: dj_sessions _510_rerank
CREATE TRIGGER _510_rerank AFTER UPDATE OF queue_policy ON public.dj_sessions FOR EACH ROW WHEN ((old.queue_policy IS DISTINCT FROM new.queue_policy)) EXECUTE FUNCTION private.tg_dj_sessions__rerank();

-- TRIGGER: dj_sessions _520_close_queue
CREATE TRIGGER _520_close_queue AFTER UPDATE OF status ON public.dj_sessions FOR EACH ROW WHEN (((new.status = 'ended'::public.session_status) AND (old.status <> 'ended'::public.session_status))) EXECUTE FUNCTION private.tg_dj_sessions__close_queue();

-- TRIGGER: dj_sessions _600_realtime
CREATE TRIGGER _600_realtime AFTER INSERT OR UPDATE ON public.dj_sessions FOR EACH ROW EXECUTE FUNCTION private.tg_dj_sessions__realtime();

-- TRIGGER: dj_sessions _700_fanout
CREATE TRIGGER _700_fanout AFTER INSERT OR UPDATE OF status ON public.dj_sessions FOR EACH ROW EXECUTE FUNCTION private.tg_dj_sessions__fanout();

-- TRIGGER: dj_sessions _900_constraint_errors
CREATE TRIGGER _900_constraint_errors BEFORE INSERT OR UPDATE OF title, description, genre_tags, cover_url, visibility, status, scheduled_for, slow_mode_seconds, followers_only_minutes, subscribers_only, emote_only, requests_open, queue_policy, queue_locked, allow_explicit, max_track_seconds, request_limit, skip_mode, skip_percent, skip_log_factor ON public.dj_sessions FOR EACH ROW EXECUTE FUNCTION private.tg__constraint_errors();

-- FK CONSTRAINT: dj_sessions dj_sessions_announced_by_fkey
ALTER TABLE ONLY public.dj_sessions
    ADD CONSTRAINT dj_sessions_announced_by_fkey FOREIGN KEY (announced_by) REFERENCES public.profiles(id) ON DELETE SET NULL;

-- FK CONSTRAINT: dj_sessions dj_sessions_dj_id_fkey
ALTER TABLE ONLY public.dj_sessions
    ADD CONSTRAINT dj_sessions_dj_id_fkey FOREIGN KEY (dj_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

-- POLICY: dj_sessions Anyone can see public sessions
CREATE POLICY "Anyone can see public sessions" ON public.dj_sessions FOR SELECT TO anon USING ((visibility = 'public'::public.session_visibility));

-- POLICY: dj_sessions DJs and their moderators update sessions
CREATE POLICY "DJs and their moderators update sessions" ON public.dj_sessions FOR UPDATE TO authenticated USING (((dj_id = ( SELECT auth.uid() AS uid)) OR (dj_id = ANY (ARRAY( SELECT hidden.my_moderated_dj_ids() AS my_moderated_dj_ids))))) WITH CHECK (((dj_id = ( SELECT auth.uid() AS uid)) OR (dj_id = ANY (ARRAY( SELECT hidden.my_moderated_dj_ids() AS my_moderated_dj_ids)))));

-- POLICY: dj_sessions DJs create their own sessions
CREATE POLICY "DJs create their own sessions" ON public.dj_sessions FOR INSERT TO authenticated WITH CHECK ((dj_id = ( SELECT auth.uid() AS uid)));

-- POLICY: dj_sessions Users see sessions they may join, host or moderate
CREATE POLICY "Users see sessions they may join, host or moderate" ON public.dj_sessions FOR SELECT TO authenticated USING (((dj_id = ( SELECT auth.uid() AS uid)) OR ((dj_id <> ALL (ARRAY( SELECT hidden.my_blockers() AS my_blockers))) AND ((visibility = 'public'::public.session_visibility) OR ((visibility = 'followers'::public.session_visibility) AND (dj_id = ANY (ARRAY( SELECT hidden.my_followed_ids() AS my_followed_ids)))) OR (id = ANY (ARRAY( SELECT hidden.my_room_ids() AS my_room_ids))))) OR (dj_id = ANY (ARRAY( SELECT hidden.my_moderated_dj_ids() AS my_moderated_dj_ids))) OR ( SELECT hidden.is_staff() AS is_staff)));

-- ROW SECURITY: dj_sessions
ALTER TABLE public.dj_sessions ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE dj_sessions
GRANT SELECT ON TABLE public.dj_sessions TO anon;
GRANT SELECT ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.dj_id
GRANT INSERT(dj_id) ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.title
GRANT INSERT(title),UPDATE(title) ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.description
GRANT INSERT(description),UPDATE(description) ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.genre_tags
GRANT INSERT(genre_tags),UPDATE(genre_tags) ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.cover_url
GRANT INSERT(cover_url),UPDATE(cover_url) ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.visibility
GRANT INSERT(visibility),UPDATE(visibility) ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.status
GRANT INSERT(status),UPDATE(status) ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.scheduled_for
GRANT INSERT(scheduled_for),UPDATE(scheduled_for) ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.slow_mode_seconds
GRANT INSERT(slow_mode_seconds),UPDATE(slow_mode_seconds) ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.followers_only_minutes
GRANT INSERT(followers_only_minutes),UPDATE(followers_only_minutes) ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.subscribers_only
GRANT INSERT(subscribers_only),UPDATE(subscribers_only) ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.emote_only
GRANT INSERT(emote_only),UPDATE(emote_only) ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.requests_open
GRANT INSERT(requests_open),UPDATE(requests_open) ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.queue_policy
GRANT INSERT(queue_policy),UPDATE(queue_policy) ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.queue_locked
GRANT UPDATE(queue_locked) ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.allow_explicit
GRANT INSERT(allow_explicit),UPDATE(allow_explicit) ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.max_track_seconds
GRANT INSERT(max_track_seconds),UPDATE(max_track_seconds) ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.request_limit
GRANT INSERT(request_limit),UPDATE(request_limit) ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.skip_mode
GRANT INSERT(skip_mode),UPDATE(skip_mode) ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.skip_percent
GRANT INSERT(skip_percent),UPDATE(skip_percent) ON TABLE public.dj_sessions TO authenticated;

-- ACL: COLUMN dj_sessions.skip_log_factor
GRANT INSERT(skip_log_factor),UPDATE(skip_log_factor) ON TABLE public.dj_sessions TO authenticated;
