-- TABLE: blocks
CREATE TABLE public.blocks (
    blocker_id uuid NOT NULL,
    blocked_id uuid NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT blocks_check CHECK ((blocker_id <> blocked_id))
);

-- COMMENT: TABLE blocks
COMMENT ON TABLE public.blocks IS 'Blocks. Private: only the blocker sees them.';

-- COMMENT: COLUMN blocks.blocker_id
COMMENT ON COLUMN public.blocks.blocker_id IS 'Who blocks.';

-- COMMENT: COLUMN blocks.blocked_id
COMMENT ON COLUMN public.blocks.blocked_id IS 'Who is blocked.';

-- COMMENT: COLUMN blocks.created_at
COMMENT ON COLUMN public.blocks.created_at IS 'When.';

-- CONSTRAINT: blocks blocks_pkey
ALTER TABLE ONLY public.blocks
    ADD CONSTRAINT blocks_pkey PRIMARY KEY (blocker_id, blocked_id);

-- INDEX: blocks_blocked_idx
CREATE INDEX blocks_blocked_idx ON public.blocks USING btree (blocked_id);

-- TRIGGER: blocks _100_sever
CREATE TRIGGER _100_sever BEFORE INSERT ON public.blocks FOR EACH ROW EXECUTE FUNCTION private.tg_blocks__sever();

-- TRIGGER: blocks _500_leave_rooms
CREATE TRIGGER _500_leave_rooms AFTER INSERT ON public.blocks FOR EACH ROW EXECUTE FUNCTION private.tg_blocks__leave_rooms();

-- TRIGGER: blocks _900_constraint_errors
CREATE TRIGGER _900_constraint_errors BEFORE INSERT ON public.blocks FOR EACH ROW EXECUTE FUNCTION private.tg__constraint_errors();

-- FK CONSTRAINT: blocks blocks_blocked_id_fkey
ALTER TABLE ONLY public.blocks
    ADD CONSTRAINT blocks_blocked_id_fkey FOREIGN KEY (blocked_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

-- FK CONSTRAINT: blocks blocks_blocker_id_fkey
ALTER TABLE ONLY public.blocks
    ADD CONSTRAINT blocks_blocker_id_fkey FOREIGN KEY (blocker_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

-- POLICY: blocks Users can block as themselves
CREATE POLICY "Users can block as themselves" ON public.blocks FOR INSERT TO authenticated WITH CHECK ((blocker_id = ( SELECT auth.uid() AS uid)));

-- POLICY: blocks Users can see their own blocks
CREATE POLICY "Users can see their own blocks" ON public.blocks FOR SELECT TO authenticated USING ((blocker_id = ( SELECT auth.uid() AS uid)));

-- POLICY: blocks Users can unblock
CREATE POLICY "Users can unblock" ON public.blocks FOR DELETE TO authenticated USING ((blocker_id = ( SELECT auth.uid() AS uid)));

-- ROW SECURITY: blocks
ALTER TABLE public.blocks ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE blocks
GRANT SELECT,DELETE ON TABLE public.blocks TO authenticated;

-- ACL: COLUMN blocks.blocker_id
GRANT INSERT(blocker_id) ON TABLE public.blocks TO authenticated;

-- ACL: COLUMN blocks.blocked_id
GRANT INSERT(blocked_id) ON TABLE public.blocks TO authenticated;
