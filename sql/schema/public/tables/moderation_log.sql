-- TABLE: moderation_log
CREATE TABLE public.moderation_log (
    id bigint NOT NULL,
    chain_id uuid NOT NULL,
    seq bigint NOT NULL,
    dj_id uuid,
    session_id uuid,
    actor_id uuid,
    action public.moderation_action NOT NULL,
    target_user_id uuid,
    target_message_id uuid,
    reason text DEFAULT ''::text NOT NULL,
    before jsonb,
    after jsonb,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    prev_hash bytea,
    hash bytea NOT NULL,
    CONSTRAINT moderation_log_seq_check CHECK ((seq > 0))
);

-- COMMENT: TABLE moderation_log
COMMENT ON TABLE public.moderation_log IS 'Append-only, hash-chained record of every moderation action. DJs and their moderators read their channel''s entries; users read the entries about them; staff read all. No foreign keys: entries outlive accounts.';

-- COMMENT: COLUMN moderation_log.id
COMMENT ON COLUMN public.moderation_log.id IS 'Global insertion order.';

-- COMMENT: COLUMN moderation_log.chain_id
COMMENT ON COLUMN public.moderation_log.chain_id IS 'Hash chain: the DJ''s id, or the nil uuid for platform actions.';

-- COMMENT: COLUMN moderation_log.seq
COMMENT ON COLUMN public.moderation_log.seq IS 'Position in the chain, 1, 2, 3... without gaps.';

-- COMMENT: COLUMN moderation_log.dj_id
COMMENT ON COLUMN public.moderation_log.dj_id IS 'The DJ whose channel this concerns (NULL: platform-wide).';

-- COMMENT: COLUMN moderation_log.session_id
COMMENT ON COLUMN public.moderation_log.session_id IS 'The session it happened in, if any.';

-- COMMENT: COLUMN moderation_log.actor_id
COMMENT ON COLUMN public.moderation_log.actor_id IS 'Who acted (NULL: the system or the service).';

-- COMMENT: COLUMN moderation_log.action
COMMENT ON COLUMN public.moderation_log.action IS 'What was done.';

-- COMMENT: COLUMN moderation_log.target_user_id
COMMENT ON COLUMN public.moderation_log.target_user_id IS 'Who it was done to.';

-- COMMENT: COLUMN moderation_log.target_message_id
COMMENT ON COLUMN public.moderation_log.target_message_id IS 'The chat message concerned.';

-- COMMENT: COLUMN moderation_log.reason
COMMENT ON COLUMN public.moderation_log.reason IS 'The reason given.';

-- COMMENT: COLUMN moderation_log.before
COMMENT ON COLUMN public.moderation_log.before IS 'State before (e.g. the message as it was).';

-- COMMENT: COLUMN moderation_log.after
COMMENT ON COLUMN public.moderation_log.after IS 'State after.';

-- COMMENT: COLUMN moderation_log.created_at
COMMENT ON COLUMN public.moderation_log.created_at IS 'When.';

-- COMMENT: COLUMN moderation_log.prev_hash
COMMENT ON COLUMN public.moderation_log.prev_hash IS 'hash of the previous entry in the chain (NULL for the first).';

-- COMMENT: COLUMN moderation_log.hash
COMMENT ON COLUMN public.moderation_log.hash IS 'SHA-256 over prev_hash and this entry''s content.';

-- SEQUENCE: moderation_log_id_seq
ALTER TABLE public.moderation_log ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME public.moderation_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

-- CONSTRAINT: moderation_log moderation_log_chain_id_seq_key
ALTER TABLE ONLY public.moderation_log
    ADD CONSTRAINT moderation_log_chain_id_seq_key UNIQUE (chain_id, seq);

-- CONSTRAINT: moderation_log moderation_log_pkey
ALTER TABLE ONLY public.moderation_log
    ADD CONSTRAINT moderation_log_pkey PRIMARY KEY (id);

-- INDEX: moderation_log_dj_idx
CREATE INDEX moderation_log_dj_idx ON public.moderation_log USING btree (dj_id, created_at DESC);

-- INDEX: moderation_log_target_message_idx
CREATE INDEX moderation_log_target_message_idx ON public.moderation_log USING btree (target_message_id) WHERE (target_message_id IS NOT NULL);

-- INDEX: moderation_log_target_user_idx
CREATE INDEX moderation_log_target_user_idx ON public.moderation_log USING btree (target_user_id, created_at DESC);

-- TRIGGER: moderation_log _010_text_policy
CREATE TRIGGER _010_text_policy BEFORE INSERT OR UPDATE OF reason ON public.moderation_log FOR EACH ROW EXECUTE FUNCTION private.tg__text_policy('reason:text');

-- TRIGGER: moderation_log _100_append_only
CREATE TRIGGER _100_append_only BEFORE DELETE OR UPDATE ON public.moderation_log FOR EACH ROW EXECUTE FUNCTION private.tg_moderation_log__append_only();

-- TRIGGER: moderation_log _100_no_truncate
CREATE TRIGGER _100_no_truncate BEFORE TRUNCATE ON public.moderation_log FOR EACH STATEMENT EXECUTE FUNCTION private.tg_moderation_log__append_only();

-- POLICY: moderation_log Moderation log is visible to the channel's team, the target and
CREATE POLICY "Moderation log is visible to the channel's team, the target and" ON public.moderation_log FOR SELECT TO authenticated USING (((dj_id = ( SELECT auth.uid() AS uid)) OR (dj_id = ANY (ARRAY( SELECT hidden.my_moderated_dj_ids() AS my_moderated_dj_ids))) OR (target_user_id = ( SELECT auth.uid() AS uid)) OR ( SELECT hidden.is_staff() AS is_staff)));

-- ROW SECURITY: moderation_log
ALTER TABLE public.moderation_log ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE moderation_log
GRANT SELECT ON TABLE public.moderation_log TO authenticated;
