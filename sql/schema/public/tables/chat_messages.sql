-- TABLE: chat_messages
CREATE TABLE public.chat_messages (
    id uuid NOT NULL,
    session_id uuid NOT NULL,
    author_id uuid,
    body text NOT NULL,
    reply_to_id uuid,
    mentions uuid[] DEFAULT '{}'::uuid[] NOT NULL,
    status public.message_status DEFAULT 'visible'::public.message_status NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    deleted_at timestamp with time zone,
    deleted_by uuid,
    delete_reason text,
    held_term text,
    CONSTRAINT chat_messages_body_check CHECK (((char_length(body) >= 1) AND (char_length(body) <= 500))),
    CONSTRAINT chat_messages_delete_reason_check CHECK ((char_length(delete_reason) <= 500))
);

-- COMMENT: TABLE chat_messages
COMMENT ON TABLE public.chat_messages IS 'Chat messages of a session; soft-deleted, never edited.';

-- COMMENT: COLUMN chat_messages.id
COMMENT ON COLUMN public.chat_messages.id IS 'Chosen by the client (uuid v4) so that retries are idempotent.';

-- COMMENT: COLUMN chat_messages.session_id
COMMENT ON COLUMN public.chat_messages.session_id IS 'The session (checked by the trigger, not a foreign key: see above).';

-- COMMENT: COLUMN chat_messages.author_id
COMMENT ON COLUMN public.chat_messages.author_id IS 'The author (NULL once their account is deleted: "deleted user").';

-- COMMENT: COLUMN chat_messages.body
COMMENT ON COLUMN public.chat_messages.body IS 'Text, trimmed, 1-500 characters.';

-- COMMENT: COLUMN chat_messages.reply_to_id
COMMENT ON COLUMN public.chat_messages.reply_to_id IS 'The message this replies to (same session).';

-- COMMENT: COLUMN chat_messages.mentions
COMMENT ON COLUMN public.chat_messages.mentions IS 'Users @mentioned and notified.';

-- COMMENT: COLUMN chat_messages.status
COMMENT ON COLUMN public.chat_messages.status IS 'visible, held (for review) or deleted.';

-- COMMENT: COLUMN chat_messages.created_at
COMMENT ON COLUMN public.chat_messages.created_at IS 'Server time of sending.';

-- COMMENT: COLUMN chat_messages.deleted_at
COMMENT ON COLUMN public.chat_messages.deleted_at IS 'When it was deleted.';

-- COMMENT: COLUMN chat_messages.deleted_by
COMMENT ON COLUMN public.chat_messages.deleted_by IS 'Who deleted it (the author or a moderator).';

-- COMMENT: COLUMN chat_messages.delete_reason
COMMENT ON COLUMN public.chat_messages.delete_reason IS 'Why (moderators).';

-- COMMENT: COLUMN chat_messages.held_term
COMMENT ON COLUMN public.chat_messages.held_term IS 'The blocked term that held it (moderators see it).';

-- COMMENT: CONSTRAINT chat_messages_delete_reason_check ON chat_messages
COMMENT ON CONSTRAINT chat_messages_delete_reason_check ON public.chat_messages IS 'A reason is at most 500 characters.';

-- CONSTRAINT: chat_messages chat_messages_pkey
ALTER TABLE ONLY public.chat_messages
    ADD CONSTRAINT chat_messages_pkey PRIMARY KEY (id);

-- INDEX: chat_messages_author_recent_idx
CREATE INDEX chat_messages_author_recent_idx ON public.chat_messages USING btree (author_id, created_at DESC);

-- INDEX: chat_messages_deleted_by_idx
CREATE INDEX chat_messages_deleted_by_idx ON public.chat_messages USING btree (deleted_by) WHERE (deleted_by IS NOT NULL);

-- INDEX: chat_messages_history_idx
CREATE INDEX chat_messages_history_idx ON public.chat_messages USING btree (session_id, created_at DESC, id DESC);

-- INDEX: chat_messages_reply_to_idx
CREATE INDEX chat_messages_reply_to_idx ON public.chat_messages USING btree (reply_to_id) WHERE (reply_to_id IS NOT NULL);

-- TRIGGER: chat_messages _010_text_policy
CREATE TRIGGER _010_text_policy BEFORE INSERT OR UPDATE OF body, delete_reason ON public.chat_messages FOR EACH ROW EXECUTE FUNCTION private.tg__text_policy('body:text', 'delete_reason:text');

-- TRIGGER: chat_messages _200_check
CREATE TRIGGER _200_check BEFORE INSERT ON public.chat_messages FOR EACH ROW EXECUTE FUNCTION private.tg_chat_messages__check();

-- TRIGGER: chat_messages _200_moderate
CREATE TRIGGER _200_moderate BEFORE UPDATE ON public.chat_messages FOR EACH ROW EXECUTE FUNCTION private.tg_chat_messages__moderate();

-- TRIGGER: chat_messages _500_after_insert
CREATE TRIGGER _500_after_insert AFTER INSERT ON public.chat_messages FOR EACH ROW WHEN ((cardinality(new.mentions) > 0)) EXECUTE FUNCTION private.tg_chat_messages__after_insert();

-- TRIGGER: chat_messages _600_realtime
CREATE TRIGGER _600_realtime AFTER INSERT OR UPDATE OF status ON public.chat_messages FOR EACH ROW EXECUTE FUNCTION private.tg_chat_messages__realtime();

-- TRIGGER: chat_messages _900_constraint_errors
CREATE TRIGGER _900_constraint_errors BEFORE UPDATE OF status, delete_reason ON public.chat_messages FOR EACH ROW EXECUTE FUNCTION private.tg__constraint_errors();

-- FK CONSTRAINT: chat_messages chat_messages_author_id_fkey
ALTER TABLE ONLY public.chat_messages
    ADD CONSTRAINT chat_messages_author_id_fkey FOREIGN KEY (author_id) REFERENCES public.profiles(id) ON DELETE SET NULL;

-- FK CONSTRAINT: chat_messages chat_messages_deleted_by_fkey
ALTER TABLE ONLY public.chat_messages
    ADD CONSTRAINT chat_messages_deleted_by_fkey FOREIGN KEY (deleted_by) REFERENCES public.profiles(id) ON DELETE SET NULL;

-- FK CONSTRAINT: chat_messages chat_messages_reply_to_id_fkey
ALTER TABLE ONLY public.chat_messages
    ADD CONSTRAINT chat_messages_reply_to_id_fkey FOREIGN KEY (reply_to_id) REFERENCES public.chat_messages(id) ON DELETE SET NULL;

-- POLICY: chat_messages Authors and moderators delete or approve
CREATE POLICY "Authors and moderators delete or approve" ON public.chat_messages FOR UPDATE TO authenticated USING (((author_id = ( SELECT auth.uid() AS uid)) OR (session_id = ANY (ARRAY( SELECT hidden.my_moderated_room_ids() AS my_moderated_room_ids))))) WITH CHECK (((author_id = ( SELECT auth.uid() AS uid)) OR (session_id = ANY (ARRAY( SELECT hidden.my_moderated_room_ids() AS my_moderated_room_ids)))));

-- POLICY: chat_messages The room reads its chat, minus what the reader must not see
CREATE POLICY "The room reads its chat, minus what the reader must not see" ON public.chat_messages FOR SELECT TO authenticated USING (((author_id = ( SELECT auth.uid() AS uid)) OR ((session_id = ANY (ARRAY( SELECT hidden.my_room_ids() AS my_room_ids))) AND ((status = 'visible'::public.message_status) OR (author_id = ( SELECT auth.uid() AS uid)) OR (session_id = ANY (ARRAY( SELECT hidden.my_moderated_room_ids() AS my_moderated_room_ids)))) AND COALESCE((author_id <> ALL (ARRAY( SELECT hidden.my_block_peers() AS my_block_peers))), true)) OR ( SELECT hidden.is_staff() AS is_staff)));

-- POLICY: chat_messages Users send as themselves
CREATE POLICY "Users send as themselves" ON public.chat_messages FOR INSERT TO authenticated WITH CHECK ((author_id = ( SELECT auth.uid() AS uid)));

-- ROW SECURITY: chat_messages
ALTER TABLE public.chat_messages ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE chat_messages
GRANT SELECT ON TABLE public.chat_messages TO authenticated;

-- ACL: COLUMN chat_messages.id
GRANT INSERT(id) ON TABLE public.chat_messages TO authenticated;

-- ACL: COLUMN chat_messages.session_id
GRANT INSERT(session_id) ON TABLE public.chat_messages TO authenticated;

-- ACL: COLUMN chat_messages.body
GRANT INSERT(body) ON TABLE public.chat_messages TO authenticated;

-- ACL: COLUMN chat_messages.reply_to_id
GRANT INSERT(reply_to_id) ON TABLE public.chat_messages TO authenticated;

-- ACL: COLUMN chat_messages.status
GRANT UPDATE(status) ON TABLE public.chat_messages TO authenticated;

-- ACL: COLUMN chat_messages.delete_reason
GRANT UPDATE(delete_reason) ON TABLE public.chat_messages TO authenticated;
