-- FUNCTION: tip_charge(uuid)
CREATE FUNCTION hidden.tip_charge(p_tip_id uuid) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_charge jsonb;
begin
  select jsonb_build_object(
    'tip_id', t.id, 'amount', t.amount, 'currency', t.currency, 'fee_amount', t.fee_amount,
    'status', t.status, 'payment_intent_id', t.payment_intent_id, 'destination', a.stripe_account_id,
    'payable', coalesce(a.charges_enabled, false), 'dj_id', t.dj_id, 'tipper_id', t.tipper_id, 'session_id', t.session_id
  ) into v_charge
  from public.tips as t left join public.payout_accounts as a on a.dj_id = t.dj_id
  where t.id = p_tip_id;
  if v_charge is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such tip.', 'Check the tip id.'),
      detail = hidden.api_response('P0002');
  end if;
  return v_charge;
end
$$;

-- COMMENT: FUNCTION tip_charge(p_tip_id uuid)
COMMENT ON FUNCTION hidden.tip_charge(p_tip_id uuid) IS 'What the PaymentIntent of a tip is made of (amount, fee, the DJ''s connected account); service_role only.';

-- ACL: FUNCTION tip_charge(p_tip_id uuid)
REVOKE ALL ON FUNCTION hidden.tip_charge(p_tip_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.tip_charge(p_tip_id uuid) TO service_role;
