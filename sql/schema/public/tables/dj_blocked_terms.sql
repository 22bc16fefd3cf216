-- TABLE: dj_blocked_terms
CREATE TABLE public.dj_blocked_terms (
    dj_id uuid DEFAULT auth.uid() NOT NULL,
    term text NOT NULL,
    action public.term_action DEFAULT 'reject'::public.term_action NOT NULL,
    created_by uuid,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT dj_blocked_terms_term_check CHECK (((term = lower(term)) AND ((char_length(term) >= 2) AND (char_length(term) <= 64))))
);

-- COMMENT: TABLE dj_blocked_terms
COMMENT ON TABLE public.dj_blocked_terms IS 'Words or phrases a DJ''s chat refuses (reject) or holds for review (hold); matched case-insensitively as whole words.';

-- COMMENT: COLUMN dj_blocked_terms.dj_id
COMMENT ON COLUMN public.dj_blocked_terms.dj_id IS 'The DJ (defaults to the caller).';

-- COMMENT: COLUMN dj_blocked_terms.term
COMMENT ON COLUMN public.dj_blocked_terms.term IS 'The term, lower-case, 2-64 characters.';

-- COMMENT: COLUMN dj_blocked_terms.action
COMMENT ON COLUMN public.dj_blocked_terms.action IS 'reject or hold.';

-- COMMENT: COLUMN dj_blocked_terms.created_by
COMMENT ON COLUMN public.dj_blocked_terms.created_by IS 'Who added it.';

-- COMMENT: COLUMN dj_blocked_terms.created_at
COMMENT ON COLUMN public.dj_blocked_terms.created_at IS 'When.';

-- CONSTRAINT: dj_blocked_terms dj_blocked_terms_pkey
ALTER TABLE ONLY public.dj_blocked_terms
    ADD CONSTRAINT dj_blocked_terms_pkey PRIMARY KEY (dj_id, term);

-- INDEX: dj_blocked_terms_created_by_idx
CREATE INDEX dj_blocked_terms_created_by_idx ON public.dj_blocked_terms USING btree (created_by);

-- TRIGGER: dj_blocked_terms _010_text_policy
CREATE TRIGGER _010_text_policy BEFORE INSERT OR UPDATE OF term ON public.dj_blocked_terms FOR EACH ROW EXECUTE FUNCTION private.tg__text_policy('term:line');

-- TRIGGER: dj_blocked_terms _200_apply
CREATE TRIGGER _200_apply BEFORE INSERT OR DELETE OR UPDATE ON public.dj_blocked_terms FOR EACH ROW EXECUTE FUNCTION private.tg_dj_blocked_terms__apply();

-- TRIGGER: dj_blocked_terms _900_constraint_errors
CREATE TRIGGER _900_constraint_errors BEFORE INSERT OR UPDATE OF action ON public.dj_blocked_terms FOR EACH ROW EXECUTE FUNCTION private.tg__constraint_errors();

-- FK CONSTRAINT: dj_blocked_terms dj_blocked_terms_created_by_fkey
ALTER TABLE ONLY public.dj_blocked_terms
    ADD CONSTRAINT dj_blocked_terms_created_by_fkey FOREIGN KEY (created_by) REFERENCES public.profiles(id) ON DELETE SET NULL;

-- FK CONSTRAINT: dj_blocked_terms dj_blocked_terms_dj_id_fkey
ALTER TABLE ONLY public.dj_blocked_terms
    ADD CONSTRAINT dj_blocked_terms_dj_id_fkey FOREIGN KEY (dj_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

-- POLICY: dj_blocked_terms The channel's team manages blocked terms
CREATE POLICY "The channel's team manages blocked terms" ON public.dj_blocked_terms TO authenticated USING (((dj_id = ( SELECT auth.uid() AS uid)) OR (dj_id = ANY (ARRAY( SELECT hidden.my_moderated_dj_ids() AS my_moderated_dj_ids))))) WITH CHECK (((dj_id = ( SELECT auth.uid() AS uid)) OR (dj_id = ANY (ARRAY( SELECT hidden.my_moderated_dj_ids() AS my_moderated_dj_ids)))));

-- ROW SECURITY: dj_blocked_terms
ALTER TABLE public.dj_blocked_terms ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE dj_blocked_terms
GRANT SELECT,DELETE ON TABLE public.dj_blocked_terms TO authenticated;

-- ACL: COLUMN dj_blocked_terms.dj_id
GRANT INSERT(dj_id) ON TABLE public.dj_blocked_terms TO authenticated;

-- ACL: COLUMN dj_blocked_terms.term
GRANT INSERT(term) ON TABLE public.dj_blocked_terms TO authenticated;

-- ACL: COLUMN dj_blocked_terms.action
GRANT INSERT(action),UPDATE(action) ON TABLE public.dj_blocked_terms TO authenticated;
