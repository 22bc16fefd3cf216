-- TABLE: staff
CREATE TABLE private.staff (
    user_id uuid NOT NULL,
    role text NOT NULL,
    granted_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT staff_role_check CHECK ((role = ANY (ARRAY['moderator'::text, 'admin'::text])))
);

-- COMMENT: TABLE staff
COMMENT ON TABLE private.staff IS 'WhatsSound staff: may read the report queue and act platform-wide.';

-- COMMENT: COLUMN staff.user_id
COMMENT ON COLUMN private.staff.user_id IS 'The staff member.';

-- COMMENT: COLUMN staff.role
COMMENT ON COLUMN private.staff.role IS 'moderator (reports, sessions) or admin (everything).';

-- COMMENT: COLUMN staff.granted_at
COMMENT ON COLUMN private.staff.granted_at IS 'When the role was granted.';

-- CONSTRAINT: staff staff_pkey
ALTER TABLE ONLY private.staff
    ADD CONSTRAINT staff_pkey PRIMARY KEY (user_id);

-- FK CONSTRAINT: staff staff_user_id_fkey
ALTER TABLE ONLY private.staff
    ADD CONSTRAINT staff_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;

-- POLICY: staff Supabase Auth reads staff roles for token claims
CREATE POLICY "Supabase Auth reads staff roles for token claims" ON private.staff FOR SELECT TO supabase_auth_admin USING (true);

-- ROW SECURITY: staff
ALTER TABLE private.staff ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE staff
GRANT SELECT ON TABLE private.staff TO supabase_auth_admin;
