-- TABLE: reports
CREATE TABLE public.reports (
    id uuid DEFAULT gen_random_uuid() NOT NULL,
    reporter_id uuid,
    target_kind public.report_target NOT NULL,
    target_user_id uuid,
    target_session_id uuid,
    target_message_id uuid,
    reason public.report_reason NOT NULL,
    details text DEFAULT ''::text NOT NULL,
    status public.report_status DEFAULT 'open'::public.report_status NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    handled_by uuid,
    handled_at timestamp with time zone,
    resolution_note text,
    CONSTRAINT reports_check CHECK ((((target_kind = 'message'::public.report_target) AND (target_message_id IS NOT NULL)) OR ((target_kind = 'user'::public.report_target) AND (target_user_id IS NOT NULL)) OR ((target_kind = 'session'::public.report_target) AND (target_session_id IS NOT NULL)))),
    CONSTRAINT reports_details_check CHECK ((char_length(details) <= 1000)),
    CONSTRAINT reports_resolution_note_check CHECK ((char_length(resolution_note) <= 1000))
);

-- COMMENT: TABLE reports
COMMENT ON TABLE public.reports IS 'Reports filed by users; the queue only staff read.';

-- COMMENT: COLUMN reports.id
COMMENT ON COLUMN public.reports.id IS 'Report id (returned to the reporter).';

-- COMMENT: COLUMN reports.reporter_id
COMMENT ON COLUMN public.reports.reporter_id IS 'Who reported.';

-- COMMENT: COLUMN reports.target_kind
COMMENT ON COLUMN public.reports.target_kind IS 'message, user or session.';

-- COMMENT: COLUMN reports.target_user_id
COMMENT ON COLUMN public.reports.target_user_id IS 'The reported user (the author, for a message).';

-- COMMENT: COLUMN reports.target_session_id
COMMENT ON COLUMN public.reports.target_session_id IS 'The session concerned.';

-- COMMENT: COLUMN reports.target_message_id
COMMENT ON COLUMN public.reports.target_message_id IS 'The reported message.';

-- COMMENT: COLUMN reports.reason
COMMENT ON COLUMN public.reports.reason IS 'Why.';

-- COMMENT: COLUMN reports.details
COMMENT ON COLUMN public.reports.details IS 'Free text from the reporter.';

-- COMMENT: COLUMN reports.status
COMMENT ON COLUMN public.reports.status IS 'open, actioned or dismissed.';

-- COMMENT: COLUMN reports.created_at
COMMENT ON COLUMN public.reports.created_at IS 'When filed.';

-- COMMENT: COLUMN reports.handled_by
COMMENT ON COLUMN public.reports.handled_by IS 'Staff member who resolved it.';

-- COMMENT: COLUMN reports.handled_at
COMMENT ON COLUMN public.reports.handled_at IS 'When it was resolved.';

-- COMMENT: COLUMN reports.resolution_note
COMMENT ON COLUMN public.reports.resolution_note IS 'What staff did.';

-- COMMENT: CONSTRAINT reports_details_check ON reports
COMMENT ON CONSTRAINT reports_details_check ON public.reports IS 'Details are at most 1000 characters.';

-- COMMENT: CONSTRAINT reports_resolution_note_check ON reports
COMMENT ON CONSTRAINT reports_resolution_note_check ON public.reports IS 'A note is at most 1000 characters.';

-- CONSTRAINT: reports reports_pkey
ALTER TABLE ONLY public.reports
    ADD CONSTRAINT reports_pkey PRIMARY KEY (id);

-- INDEX: reports_handled_by_idx
CREATE INDEX reports_handled_by_idx ON public.reports USING btree (handled_by);

-- INDEX: reports_one_open_per_target_idx
CREATE UNIQUE INDEX reports_one_open_per_target_idx ON public.reports USING btree (reporter_id, target_kind, COALESCE(target_message_id, target_user_id, target_session_id)) WHERE (status = 'open'::public.report_status);

-- INDEX: reports_queue_idx
CREATE INDEX reports_queue_idx ON public.reports USING btree (status, created_at);

-- INDEX: reports_target_message_idx
CREATE INDEX reports_target_message_idx ON public.reports USING btree (target_message_id);

-- INDEX: reports_target_session_idx
CREATE INDEX reports_target_session_idx ON public.reports USING btree (target_session_id);

-- INDEX: reports_target_user_idx
CREATE INDEX reports_target_user_idx ON public.reports USING btree (target_user_id);

-- TRIGGER: reports _010_text_policy
CREATE TRIGGER _010_text_policy BEFORE INSERT OR UPDATE OF details, resolution_note ON public.reports FOR EACH ROW EXECUTE FUNCTION private.tg__text_policy('details:text', 'resolution_note:text');

-- TRIGGER: reports _050_guest_rule
CREATE TRIGGER _050_guest_rule BEFORE INSERT ON public.reports FOR EACH ROW EXECUTE FUNCTION private.tg__guest_rule('report', 'report');

-- TRIGGER: reports _200_resolve
CREATE TRIGGER _200_resolve BEFORE UPDATE ON public.reports FOR EACH ROW EXECUTE FUNCTION private.tg_reports__resolve();

-- TRIGGER: reports _600_staff_lane
CREATE TRIGGER _600_staff_lane AFTER INSERT ON public.reports FOR EACH ROW EXECUTE FUNCTION private.tg_reports__staff_lane();

-- TRIGGER: reports _900_constraint_errors
CREATE TRIGGER _900_constraint_errors BEFORE UPDATE OF status, resolution_note ON public.reports FOR EACH ROW EXECUTE FUNCTION private.tg__constraint_errors();

-- FK CONSTRAINT: reports reports_handled_by_fkey
ALTER TABLE ONLY public.reports
    ADD CONSTRAINT reports_handled_by_fkey FOREIGN KEY (handled_by) REFERENCES public.profiles(id) ON DELETE SET NULL;

-- FK CONSTRAINT: reports reports_reporter_id_fkey
ALTER TABLE ONLY public.reports
    ADD CONSTRAINT reports_reporter_id_fkey FOREIGN KEY (reporter_id) REFERENCES public.profiles(id) ON DELETE SET NULL;

-- FK CONSTRAINT: reports reports_target_message_id_fkey
ALTER TABLE ONLY public.reports
    ADD CONSTRAINT reports_target_message_id_fkey FOREIGN KEY (target_message_id) REFERENCES public.chat_messages(id) ON DELETE CASCADE;

-- FK CONSTRAINT: reports reports_target_session_id_fkey
ALTER TABLE ONLY public.reports
    ADD CONSTRAINT reports_target_session_id_fkey FOREIGN KEY (target_session_id) REFERENCES public.dj_sessions(id) ON DELETE CASCADE;

-- FK CONSTRAINT: reports reports_target_user_id_fkey
ALTER TABLE ONLY public.reports
    ADD CONSTRAINT reports_target_user_id_fkey FOREIGN KEY (target_user_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

-- POLICY: reports Staff read the report queue
CREATE POLICY "Staff read the report queue" ON public.reports FOR SELECT TO authenticated USING (( SELECT hidden.is_staff() AS is_staff));

-- POLICY: reports Staff resolve reports
CREATE POLICY "Staff resolve reports" ON public.reports FOR UPDATE TO authenticated USING (( SELECT hidden.is_staff() AS is_staff)) WITH CHECK (( SELECT hidden.is_staff() AS is_staff));

-- ROW SECURITY: reports
ALTER TABLE public.reports ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE reports
GRANT SELECT ON TABLE public.reports TO authenticated;

-- ACL: COLUMN reports.status
GRANT UPDATE(status) ON TABLE public.reports TO authenticated;

-- ACL: COLUMN reports.resolution_note
GRANT UPDATE(resolution_note) ON TABLE public.reports TO authenticated;
