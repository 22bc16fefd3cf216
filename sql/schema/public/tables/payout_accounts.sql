-- TABLE: payout_accounts
CREATE TABLE public.payout_accounts (
    dj_id uuid NOT NULL,
    stripe_account_id text NOT NULL,
    charges_enabled boolean DEFAULT false NOT NULL,
    payouts_enabled boolean DEFAULT false NOT NULL,
    details_submitted boolean DEFAULT false NOT NULL,
    requirements_due text[] DEFAULT '{}'::text[] NOT NULL,
    disabled_reason text,
    event_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    read_at timestamp with time zone,
    CONSTRAINT payout_accounts_stripe_account_id_check CHECK ((stripe_account_id ~ '^acct_[A-Za-z0-9]+$'::text))
);

-- COMMENT: TABLE payout_accounts
COMMENT ON TABLE public.payout_accounts IS 'A DJ''s Stripe Express connected account; readiness comes only from Stripe''s account.updated events.';

-- COMMENT: COLUMN payout_accounts.dj_id
COMMENT ON COLUMN public.payout_accounts.dj_id IS 'The DJ.';

-- COMMENT: COLUMN payout_accounts.stripe_account_id
COMMENT ON COLUMN public.payout_accounts.stripe_account_id IS 'Stripe connected account id (acct_...).';

-- COMMENT: COLUMN payout_accounts.charges_enabled
COMMENT ON COLUMN public.payout_accounts.charges_enabled IS 'Stripe may take payments for this account (tips allowed).';

-- COMMENT: COLUMN payout_accounts.payouts_enabled
COMMENT ON COLUMN public.payout_accounts.payouts_enabled IS 'Stripe may pay the DJ out.';

-- COMMENT: COLUMN payout_accounts.details_submitted
COMMENT ON COLUMN public.payout_accounts.details_submitted IS 'The DJ finished onboarding.';

-- COMMENT: COLUMN payout_accounts.requirements_due
COMMENT ON COLUMN public.payout_accounts.requirements_due IS 'Stripe''s requirements.currently_due.';

-- COMMENT: COLUMN payout_accounts.disabled_reason
COMMENT ON COLUMN public.payout_accounts.disabled_reason IS 'Stripe''s requirements.disabled_reason, if any.';

-- COMMENT: COLUMN payout_accounts.event_at
COMMENT ON COLUMN public.payout_accounts.event_at IS 'Time of the newest state applied: an account.updated event''s created, or a read from Stripe (older events are ignored).';

-- COMMENT: COLUMN payout_accounts.created_at
COMMENT ON COLUMN public.payout_accounts.created_at IS 'When the account was created.';

-- COMMENT: COLUMN payout_accounts.read_at
COMMENT ON COLUMN public.payout_accounts.read_at IS 'When the stored state was last read from Stripe''s API (GET /v1/accounts/{id}); NULL: only from events.';

-- CONSTRAINT: payout_accounts payout_accounts_pkey
ALTER TABLE ONLY public.payout_accounts
    ADD CONSTRAINT payout_accounts_pkey PRIMARY KEY (dj_id);

-- CONSTRAINT: payout_accounts payout_accounts_stripe_account_id_key
ALTER TABLE ONLY public.payout_accounts
    ADD CONSTRAINT payout_accounts_stripe_account_id_key UNIQUE (stripe_account_id);

-- FK CONSTRAINT: payout_accounts payout_accounts_dj_id_fkey
ALTER TABLE ONLY public.payout_accounts
    ADD CONSTRAINT payout_accounts_dj_id_fkey FOREIGN KEY (dj_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

-- POLICY: payout_accounts DJs read their own payout account
CREATE POLICY "DJs read their own payout account" ON public.payout_accounts FOR SELECT TO authenticated USING ((dj_id = ( SELECT auth.uid() AS uid)));

-- ROW SECURITY: payout_accounts
ALTER TABLE public.payout_accounts ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE payout_accounts
GRANT SELECT ON TABLE public.payout_accounts TO authenticated;
