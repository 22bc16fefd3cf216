-- FUNCTION: tip_fee_share(public.tips, bigint)
CREATE FUNCTION private.tip_fee_share(p_tip public.tips, p_given_back bigint) RETURNS bigint
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  -- The platform's share of all it has given back so far, less what the ledger already gave back.
  select round(p_tip.fee_amount::numeric * p_given_back / p_tip.amount)::bigint
    + coalesce((
      select sum(e.amount) from private.ledger_entries as e
      where e.tip_id = p_tip.id and e.account = 'platform_fees' and e.movement <> 'succeeded'
    ), 0)
$$;

-- COMMENT: FUNCTION tip_fee_share(p_tip public.tips, p_given_back bigint)
COMMENT ON FUNCTION private.tip_fee_share(p_tip public.tips, p_given_back bigint) IS 'Fee share of the next step once p_given_back (refunded + lost, cumulative) has left the charge: round(fee * given back / amount) less what earlier steps already took back, so the steps add up exactly.';

-- ACL: FUNCTION tip_fee_share(p_tip public.tips, p_given_back bigint)
REVOKE ALL ON FUNCTION private.tip_fee_share(p_tip public.tips, p_given_back bigint) FROM PUBLIC;
