-- TABLE: entitlements
CREATE TABLE public.entitlements (
    user_id uuid NOT NULL,
    entitlement text NOT NULL,
    source text NOT NULL,
    expires_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    event_at timestamp with time zone,
    CONSTRAINT entitlements_entitlement_check CHECK ((entitlement ~ '^[a-z][a-z0-9_]{1,40}$'::text)),
    CONSTRAINT entitlements_source_check CHECK ((source = ANY (ARRAY['revenuecat'::text, 'stripe'::text, 'staff'::text])))
);

-- COMMENT: TABLE entitlements
COMMENT ON TABLE public.entitlements IS 'What a user has paid for (or was granted). Fed by the payment webhooks; read through hidden.has_entitlement().';

-- COMMENT: COLUMN entitlements.user_id
COMMENT ON COLUMN public.entitlements.user_id IS 'The entitled user.';

-- COMMENT: COLUMN entitlements.entitlement
COMMENT ON COLUMN public.entitlements.entitlement IS 'Entitlement name, e.g. premium.';

-- COMMENT: COLUMN entitlements.source
COMMENT ON COLUMN public.entitlements.source IS 'Who granted it: revenuecat, stripe or staff.';

-- COMMENT: COLUMN entitlements.expires_at
COMMENT ON COLUMN public.entitlements.expires_at IS 'When access ends; NULL for no expiry.';

-- COMMENT: COLUMN entitlements.created_at
COMMENT ON COLUMN public.entitlements.created_at IS 'When the entitlement was first granted.';

-- COMMENT: COLUMN entitlements.updated_at
COMMENT ON COLUMN public.entitlements.updated_at IS 'Last change.';

-- COMMENT: COLUMN entitlements.event_at
COMMENT ON COLUMN public.entitlements.event_at IS 'Provider time of the event that last changed this row: older events are ignored.';

-- CONSTRAINT: entitlements entitlements_pkey
ALTER TABLE ONLY public.entitlements
    ADD CONSTRAINT entitlements_pkey PRIMARY KEY (user_id, entitlement);

-- TRIGGER: entitlements _100_timestamps
CREATE TRIGGER _100_timestamps BEFORE INSERT OR UPDATE ON public.entitlements FOR EACH ROW EXECUTE FUNCTION private.tg__timestamps();

-- FK CONSTRAINT: entitlements entitlements_user_id_fkey
ALTER TABLE ONLY public.entitlements
    ADD CONSTRAINT entitlements_user_id_fkey FOREIGN KEY (user_id) REFERENCES auth.users(id) ON DELETE CASCADE;

-- POLICY: entitlements Supabase Auth reads entitlements for token claims
CREATE POLICY "Supabase Auth reads entitlements for token claims" ON public.entitlements FOR SELECT TO supabase_auth_admin USING (true);

-- POLICY: entitlements Users can read their own entitlements
CREATE POLICY "Users can read their own entitlements" ON public.entitlements FOR SELECT TO authenticated USING ((user_id = ( SELECT auth.uid() AS uid)));

-- ROW SECURITY: entitlements
ALTER TABLE public.entitlements ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE entitlements
GRANT SELECT ON TABLE public.entitlements TO authenticated;
GRANT SELECT ON TABLE public.entitlements TO supabase_auth_admin;
