-- TABLE: dj_bans
CREATE TABLE public.dj_bans (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    dj_id uuid NOT NULL,
    user_id uuid NOT NULL,
    kind public.ban_kind NOT NULL,
    reason text DEFAULT ''::text NOT NULL,
    moderator_id uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone,
    revoked_at timestamp with time zone,
    revoked_by uuid,
    CONSTRAINT dj_bans_check CHECK (((kind = 'ban'::public.ban_kind) = (expires_at IS NULL))),
    CONSTRAINT dj_bans_reason_check CHECK ((char_length(reason) <= 500))
);

-- COMMENT: TABLE dj_bans
COMMENT ON TABLE public.dj_bans IS 'Bans (permanent) and timeouts (until expires_at) in a DJ''s channel. Active = not revoked and not expired.';

-- COMMENT: COLUMN dj_bans.id
COMMENT ON COLUMN public.dj_bans.id IS 'Ban id.';

-- COMMENT: COLUMN dj_bans.dj_id
COMMENT ON COLUMN public.dj_bans.dj_id IS 'The DJ whose channel it applies to.';

-- COMMENT: COLUMN dj_bans.user_id
COMMENT ON COLUMN public.dj_bans.user_id IS 'Who is banned or timed out.';

-- COMMENT: COLUMN dj_bans.kind
COMMENT ON COLUMN public.dj_bans.kind IS 'ban or timeout.';

-- COMMENT: COLUMN dj_bans.reason
COMMENT ON COLUMN public.dj_bans.reason IS 'Reason given by the moderator (shown to the user).';

-- COMMENT: COLUMN dj_bans.moderator_id
COMMENT ON COLUMN public.dj_bans.moderator_id IS 'Who issued it.';

-- COMMENT: COLUMN dj_bans.created_at
COMMENT ON COLUMN public.dj_bans.created_at IS 'When.';

-- COMMENT: COLUMN dj_bans.expires_at
COMMENT ON COLUMN public.dj_bans.expires_at IS 'End of a timeout; NULL for a ban.';

-- COMMENT: COLUMN dj_bans.revoked_at
COMMENT ON COLUMN public.dj_bans.revoked_at IS 'When it was lifted early (unban), if it was.';

-- COMMENT: COLUMN dj_bans.revoked_by
COMMENT ON COLUMN public.dj_bans.revoked_by IS 'Who lifted it.';

-- COMMENT: CONSTRAINT dj_bans_check ON dj_bans
COMMENT ON CONSTRAINT dj_bans_check ON public.dj_bans IS 'A timeout has an end (p_timeout_seconds); a ban has none.';

-- COMMENT: CONSTRAINT dj_bans_reason_check ON dj_bans
COMMENT ON CONSTRAINT dj_bans_reason_check ON public.dj_bans IS 'A reason is at most 500 characters.';

-- CONSTRAINT: dj_bans dj_bans_pkey
ALTER TABLE ONLY public.dj_bans
    ADD CONSTRAINT dj_bans_pkey PRIMARY KEY (id);

-- INDEX: dj_bans_active_idx
CREATE INDEX dj_bans_active_idx ON public.dj_bans USING btree (dj_id, user_id) WHERE (revoked_at IS NULL);

-- INDEX: dj_bans_moderator_idx
CREATE INDEX dj_bans_moderator_idx ON public.dj_bans USING btree (moderator_id);

-- INDEX: dj_bans_revoked_by_idx
CREATE INDEX dj_bans_revoked_by_idx ON public.dj_bans USING btree (revoked_by);

-- INDEX: dj_bans_user_idx
CREATE INDEX dj_bans_user_idx ON public.dj_bans USING btree (user_id);

-- TRIGGER: dj_bans _010_text_policy
CREATE TRIGGER _010_text_policy BEFORE INSERT OR UPDATE OF reason ON public.dj_bans FOR EACH ROW EXECUTE FUNCTION private.tg__text_policy('reason:text');

-- TRIGGER: dj_bans _200_guard
CREATE TRIGGER _200_guard BEFORE INSERT OR UPDATE ON public.dj_bans FOR EACH ROW EXECUTE FUNCTION private.tg_dj_bans__guard();

-- TRIGGER: dj_bans _500_apply
CREATE TRIGGER _500_apply AFTER INSERT OR UPDATE ON public.dj_bans FOR EACH ROW EXECUTE FUNCTION private.tg_dj_bans__apply();

-- TRIGGER: dj_bans _600_realtime
CREATE TRIGGER _600_realtime AFTER INSERT ON public.dj_bans FOR EACH ROW EXECUTE FUNCTION private.tg_dj_bans__realtime();

-- TRIGGER: dj_bans _900_constraint_errors
CREATE TRIGGER _900_constraint_errors BEFORE INSERT OR UPDATE OF revoked_at ON public.dj_bans FOR EACH ROW EXECUTE FUNCTION private.tg__constraint_errors();

-- FK CONSTRAINT: dj_bans dj_bans_dj_id_fkey
ALTER TABLE ONLY public.dj_bans
    ADD CONSTRAINT dj_bans_dj_id_fkey FOREIGN KEY (dj_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

-- FK CONSTRAINT: dj_bans dj_bans_moderator_id_fkey
ALTER TABLE ONLY public.dj_bans
    ADD CONSTRAINT dj_bans_moderator_id_fkey FOREIGN KEY (moderator_id) REFERENCES public.profiles(id) ON DELETE SET NULL;

-- FK CONSTRAINT: dj_bans dj_bans_revoked_by_fkey
ALTER TABLE ONLY public.dj_bans
    ADD CONSTRAINT dj_bans_revoked_by_fkey FOREIGN KEY (revoked_by) REFERENCES public.profiles(id) ON DELETE SET NULL;

-- FK CONSTRAINT: dj_bans dj_bans_user_id_fkey
ALTER TABLE ONLY public.dj_bans
    ADD CONSTRAINT dj_bans_user_id_fkey FOREIGN KEY (user_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

-- POLICY: dj_bans Bans are visible to the channel's team, the user and staff
CREATE POLICY "Bans are visible to the channel's team, the user and staff" ON public.dj_bans FOR SELECT TO authenticated USING (((dj_id = ( SELECT auth.uid() AS uid)) OR (user_id = ( SELECT auth.uid() AS uid)) OR (dj_id = ANY (ARRAY( SELECT hidden.my_moderated_dj_ids() AS my_moderated_dj_ids))) OR ( SELECT hidden.is_staff() AS is_staff)));

-- POLICY: dj_bans The channel's team issues bans
CREATE POLICY "The channel's team issues bans" ON public.dj_bans FOR INSERT TO authenticated WITH CHECK (((dj_id = ( SELECT auth.uid() AS uid)) OR (dj_id = ANY (ARRAY( SELECT hidden.my_moderated_dj_ids() AS my_moderated_dj_ids))) OR ( SELECT hidden.is_staff() AS is_staff)));

-- POLICY: dj_bans The channel's team lifts bans
CREATE POLICY "The channel's team lifts bans" ON public.dj_bans FOR UPDATE TO authenticated USING (((dj_id = ( SELECT auth.uid() AS uid)) OR (dj_id = ANY (ARRAY( SELECT hidden.my_moderated_dj_ids() AS my_moderated_dj_ids))) OR ( SELECT hidden.is_staff() AS is_staff))) WITH CHECK (((dj_id = ( SELECT auth.uid() AS uid)) OR (dj_id = ANY (ARRAY( SELECT hidden.my_moderated_dj_ids() AS my_moderated_dj_ids))) OR ( SELECT hidden.is_staff() AS is_staff)));

-- ROW SECURITY: dj_bans
ALTER TABLE public.dj_bans ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE dj_bans
GRANT SELECT ON TABLE public.dj_bans TO authenticated;

-- ACL: COLUMN dj_bans.dj_id
GRANT INSERT(dj_id) ON TABLE public.dj_bans TO authenticated;

-- ACL: COLUMN dj_bans.user_id
GRANT INSERT(user_id) ON TABLE public.dj_bans TO authenticated;

-- ACL: COLUMN dj_bans.kind
GRANT INSERT(kind) ON TABLE public.dj_bans TO authenticated;

-- ACL: COLUMN dj_bans.reason
GRANT INSERT(reason) ON TABLE public.dj_bans TO authenticated;

-- ACL: COLUMN dj_bans.expires_at
GRANT INSERT(expires_at) ON TABLE public.dj_bans TO authenticated;

-- ACL: COLUMN dj_bans.revoked_at
GRANT UPDATE(revoked_at) ON TABLE public.dj_bans TO authenticated;
