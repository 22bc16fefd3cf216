-- FUNCTION: record_payout_account(uuid, text)
CREATE FUNCTION hidden.record_payout_account(p_dj_id uuid, p_account_id text) RETURNS public.payout_accounts
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_account public.payout_accounts;
begin
  insert into public.payout_accounts (dj_id, stripe_account_id) values (p_dj_id, p_account_id)
  on conflict (dj_id) do nothing;
  select * into v_account from public.payout_accounts as a where a.dj_id = p_dj_id;
  return v_account;  -- the first account recorded wins; Stripe's idempotency makes a second one rare
end
$$;

-- COMMENT: FUNCTION record_payout_account(p_dj_id uuid, p_account_id text)
COMMENT ON FUNCTION hidden.record_payout_account(p_dj_id uuid, p_account_id text) IS 'Remember the Stripe Express account created for a DJ (the first one recorded wins; readiness comes later from account.updated); service_role only.';

-- ACL: FUNCTION record_payout_account(p_dj_id uuid, p_account_id text)
REVOKE ALL ON FUNCTION hidden.record_payout_account(p_dj_id uuid, p_account_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.record_payout_account(p_dj_id uuid, p_account_id text) TO service_role;
