-- TABLE: notifications
CREATE TABLE public.notifications (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    user_id uuid NOT NULL,
    kind public.notification_kind NOT NULL,
    actor_id uuid,
    session_id uuid,
    message_id uuid,
    payload jsonb DEFAULT '{}'::jsonb NOT NULL,
    dedupe_key text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    read_at timestamp with time zone,
    CONSTRAINT notifications_payload_check CHECK ((jsonb_typeof(payload) = 'object'::text))
);

-- COMMENT: TABLE notifications
COMMENT ON TABLE public.notifications IS 'In-app notification feed: one row per user and event; users see only their own.';

-- COMMENT: COLUMN notifications.id
COMMENT ON COLUMN public.notifications.id IS 'Notification id.';

-- COMMENT: COLUMN notifications.user_id
COMMENT ON COLUMN public.notifications.user_id IS 'Who is notified.';

-- COMMENT: COLUMN notifications.kind
COMMENT ON COLUMN public.notifications.kind IS 'What happened.';

-- COMMENT: COLUMN notifications.actor_id
COMMENT ON COLUMN public.notifications.actor_id IS 'Who caused it (NULL if that account is gone).';

-- COMMENT: COLUMN notifications.session_id
COMMENT ON COLUMN public.notifications.session_id IS 'The DJ session concerned, if any.';

-- COMMENT: COLUMN notifications.message_id
COMMENT ON COLUMN public.notifications.message_id IS 'The chat message concerned, if any.';

-- COMMENT: COLUMN notifications.payload
COMMENT ON COLUMN public.notifications.payload IS 'Kind-specific data the app renders (e.g. a message excerpt).';

-- COMMENT: COLUMN notifications.dedupe_key
COMMENT ON COLUMN public.notifications.dedupe_key IS 'Identifies the event: a second notification for the same user and event is never created.';

-- COMMENT: COLUMN notifications.created_at
COMMENT ON COLUMN public.notifications.created_at IS 'When the event happened.';

-- COMMENT: COLUMN notifications.read_at
COMMENT ON COLUMN public.notifications.read_at IS 'When the user marked it read; NULL while unread.';

-- COMMENT: CONSTRAINT notifications_payload_check ON notifications
COMMENT ON CONSTRAINT notifications_payload_check ON public.notifications IS 'The payload is a JSON object.';

-- CONSTRAINT: notifications notifications_pkey
ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_pkey PRIMARY KEY (id);

-- CONSTRAINT: notifications notifications_user_id_dedupe_key_key
ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_user_id_dedupe_key_key UNIQUE (user_id, dedupe_key);

-- INDEX: notifications_actor_id_idx
CREATE INDEX notifications_actor_id_idx ON public.notifications USING btree (actor_id);

-- INDEX: notifications_message_idx
CREATE INDEX notifications_message_idx ON public.notifications USING btree (message_id) WHERE (message_id IS NOT NULL);

-- INDEX: notifications_user_feed_idx
CREATE INDEX notifications_user_feed_idx ON public.notifications USING btree (user_id, created_at DESC, id DESC);

-- INDEX: notifications_user_unread_idx
CREATE INDEX notifications_user_unread_idx ON public.notifications USING btree (user_id) WHERE (read_at IS NULL);

-- TRIGGER: notifications _600_realtime
CREATE TRIGGER _600_realtime AFTER INSERT ON public.notifications FOR EACH ROW EXECUTE FUNCTION private.tg_notifications__realtime();

-- TRIGGER: notifications _700_push
CREATE TRIGGER _700_push AFTER INSERT ON public.notifications REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION private.tg_notifications__push();

-- TRIGGER: notifications _900_constraint_errors
CREATE TRIGGER _900_constraint_errors BEFORE UPDATE OF read_at ON public.notifications FOR EACH ROW EXECUTE FUNCTION private.tg__constraint_errors();

-- FK CONSTRAINT: notifications notifications_actor_id_fkey
ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_actor_id_fkey FOREIGN KEY (actor_id) REFERENCES public.profiles(id) ON DELETE SET NULL;

-- FK CONSTRAINT: notifications notifications_message_id_fkey
ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_message_id_fkey FOREIGN KEY (message_id) REFERENCES public.chat_messages(id) ON DELETE CASCADE;

-- FK CONSTRAINT: notifications notifications_user_id_fkey
ALTER TABLE ONLY public.notifications
    ADD CONSTRAINT notifications_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

-- POLICY: notifications Users can mark their own notifications read
CREATE POLICY "Users can mark their own notifications read" ON public.notifications FOR UPDATE TO authenticated USING ((user_id = ( SELECT auth.uid() AS uid))) WITH CHECK ((user_id = ( SELECT auth.uid() AS uid)));

-- POLICY: notifications Users can read their own notifications
CREATE POLICY "Users can read their own notifications" ON public.notifications FOR SELECT TO authenticated USING ((user_id = ( SELECT auth.uid() AS uid)));

-- ROW SECURITY: notifications
ALTER TABLE public.notifications ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE notifications
GRANT SELECT ON TABLE public.notifications TO authenticated;

-- ACL: COLUMN notifications.read_at
GRANT UPDATE(read_at) ON TABLE public.notifications TO authenticated;
