-- FUNCTION: store_payout_account(jsonb, timestamp with time zone, boolean)
CREATE FUNCTION private.store_payout_account(p_account jsonb, p_at timestamp with time zone, p_read boolean) RETURNS boolean
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  update public.payout_accounts as a
  set charges_enabled = coalesce((p_account ->> 'charges_enabled')::boolean, false),
    payouts_enabled = coalesce((p_account ->> 'payouts_enabled')::boolean, false),
    details_submitted = coalesce((p_account ->> 'details_submitted')::boolean, false),
    requirements_due = coalesce(array(select jsonb_array_elements_text(p_account -> 'requirements' -> 'currently_due')), '{}'),
    disabled_reason = p_account -> 'requirements' ->> 'disabled_reason',
    event_at = greatest(a.event_at, p_at),
    read_at = case when p_read then p_at else a.read_at end
  where a.stripe_account_id = p_account ->> 'id'
    and case when p_read then a.read_at is null or a.read_at < p_at else a.event_at is null or a.event_at < p_at end
  returning true
$$;

-- COMMENT: FUNCTION store_payout_account(p_account jsonb, p_at timestamp with time zone, p_read boolean)
COMMENT ON FUNCTION private.store_payout_account(p_account jsonb, p_at timestamp with time zone, p_read boolean) IS 'Store a Stripe account object as the DJ''s payout readiness: from an event (p_read false: if newer than the state stored) or from a read of the API started at p_at (p_read true: if later than the last read; a read wins over events older than it). Returns whether it changed the row.';

-- ACL: FUNCTION store_payout_account(p_account jsonb, p_at timestamp with time zone, p_read boolean)
REVOKE ALL ON FUNCTION private.store_payout_account(p_account jsonb, p_at timestamp with time zone, p_read boolean) FROM PUBLIC;
