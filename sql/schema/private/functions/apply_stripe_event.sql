-- FUNCTION: apply_stripe_event(jsonb)
CREATE FUNCTION private.apply_stripe_event(p_event jsonb) RETURNS text
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_type text := p_event ->> 'type';
  v_object jsonb := p_event -> 'data' -> 'object';
  v_at timestamptz := to_timestamp((p_event ->> 'created')::double precision);
  v_id text := p_event ->> 'id';
  v_tip public.tips;
  v_amount bigint;
  v_fee bigint;
  v_delta bigint;
begin
  if v_type = 'account.updated' then
    perform private.store_payout_account(v_object, v_at, false);
    -- A second cannot order two updates: whatever this one did, read the account as it is now.
    if exists (select 1 from public.payout_accounts as a where a.stripe_account_id = v_object ->> 'id') then
      perform private.enqueue_job('payments:refresh_account', jsonb_build_object('account', v_object ->> 'id'),
        'payments', 'payments:refresh_account:' || (v_object ->> 'id'), 'payments:account:' || (v_object ->> 'id'));
    end if;
    return 'account updated';
  elsif v_type not in ('payment_intent.succeeded', 'payment_intent.payment_failed', 'charge.refunded',
    'charge.dispute.created', 'charge.dispute.updated', 'charge.dispute.closed') then
    return 'no effect';
  end if;
  v_tip := private.tip_for(
    case when v_type like 'payment_intent.%' then v_object ->> 'id' else v_object ->> 'payment_intent' end,
    coalesce(v_object -> 'metadata', '{}')
  );
  if v_tip.id is null then
    if v_type like 'payment_intent.%' and not (v_object -> 'metadata' ? 'tip_id') then
      return 'not a tip: ignored';
    end if;
    perform private.tip_wait('the tip is not recorded yet');
  end if;
  -- One event per tip at a time: concurrent workers must not both add the same refund.
  select t.* into v_tip from public.tips as t where t.id = v_tip.id for update;
  if v_type = 'payment_intent.succeeded' then
    v_amount := coalesce((v_object ->> 'amount_received')::bigint, (v_object ->> 'amount')::bigint);
    v_fee := coalesce((v_object ->> 'application_fee_amount')::bigint, v_tip.fee_amount);
    perform private.post(v_tip, 'succeeded', v_id, jsonb_build_array(
      jsonb_build_object('account', 'stripe', 'amount', -v_amount),
      jsonb_build_object('account', 'dj:' || coalesce(v_tip.dj_id, '00000000-0000-0000-0000-000000000000'), 'amount', v_amount - v_fee),
      jsonb_build_object('account', 'platform_fees', 'amount', v_fee)
    ));
    update public.tips as t
    set status = case when t.status = 'refunded' then t.status else 'succeeded' end,
      payment_intent_id = v_object ->> 'id', charge_id = v_object ->> 'latest_charge',
      succeeded_at = coalesce(t.succeeded_at, v_at), failure_code = null, event_at = greatest(t.event_at, v_at)
    where t.id = v_tip.id;
    return 'succeeded';
  elsif v_type = 'payment_intent.payment_failed' then
    update public.tips as t
    set status = 'failed', failure_code = v_object -> 'last_payment_error' ->> 'code', event_at = v_at
    where t.id = v_tip.id and t.status = 'pending' and (t.event_at is null or t.event_at < v_at);
    return 'failed';
  elsif v_tip.status not in ('succeeded', 'refunded') then
    perform private.tip_wait('the payment has not succeeded yet');
  elsif v_type = 'charge.refunded' then
    v_delta := (v_object ->> 'amount_refunded')::bigint - v_tip.amount_refunded;
    if v_delta > 0 then
      v_fee := private.tip_fee_share(v_tip, (v_object ->> 'amount_refunded')::bigint + v_tip.amount_lost);
      perform private.post(v_tip, 'refund:' || (v_object ->> 'amount_refunded'), v_id, jsonb_build_array(
        jsonb_build_object('account', 'stripe', 'amount', v_delta),
        jsonb_build_object('account', 'dj:' || coalesce(v_tip.dj_id, '00000000-0000-0000-0000-000000000000'), 'amount', -(v_delta - v_fee)),
        jsonb_build_object('account', 'platform_fees', 'amount', -v_fee)
      ));
      update public.tips as t
      set amount_refunded = t.amount_refunded + v_delta,
        status = case when t.amount_refunded + v_delta >= t.amount then 'refunded'::public.tip_status else t.status end,
        event_at = greatest(t.event_at, v_at)
      where t.id = v_tip.id;
    end if;
    return 'refund';
  else
    perform private.apply_tip_dispute(v_tip, v_object, v_id, v_type = 'charge.dispute.closed', v_at);
    return 'dispute';
  end if;
  return 'no effect';
end
$$;

-- COMMENT: FUNCTION apply_stripe_event(p_event jsonb)
COMMENT ON FUNCTION private.apply_stripe_event(p_event jsonb) IS 'Apply one Stripe event to tips, the ledger or payout accounts (see the migration''s header); returns what it did. Raises WRTRY when the event must wait for an earlier one.';

-- ACL: FUNCTION apply_stripe_event(p_event jsonb)
REVOKE ALL ON FUNCTION private.apply_stripe_event(p_event jsonb) FROM PUBLIC;
