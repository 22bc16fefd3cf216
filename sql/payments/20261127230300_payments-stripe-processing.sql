/*
 * payments-stripe-processing: Stripe events from the ledger move tips and write the ledger.
 *
 *   payment_intent.succeeded       pending|failed -> succeeded; movement "succeeded"
 *   payment_intent.payment_failed  pending -> failed (a newer success is never undone)
 *   charge.refunded                movement "refund:<cumulative>" for what is new; fully -> refunded
 *   charge.dispute.created         movement "dispute:<id>:opened" (the DJ's share is held)
 *   charge.dispute.closed          "dispute:<id>:won" (released) or ":lost" (charged back)
 *   account.updated (Connect)      the DJ's payout readiness, newest event wins
 *
 * Order-proof: a refund or dispute that arrives before the payment's success raises WRTRY, so
 * the worker retries it later (with backoff) instead of dropping it; refunds are cumulative in
 * Stripe, so an older partial refund arriving after a newer one adds nothing; every movement is
 * written once (private.post); a dispute closed before its opening was seen posts the opening
 * first. Amounts come from the event objects (amount_received, application_fee_amount).
 */

create function private.tip_for(p_payment_intent_id text, p_metadata jsonb) returns public.tips
language sql stable
set search_path = ''
as $$
  select t.* from public.tips as t
  where t.payment_intent_id = p_payment_intent_id
    or (p_metadata ->> 'tip_id' ~ '^[0-9a-f-]{36}$' and t.id = (p_metadata ->> 'tip_id')::uuid)
  limit 1
$$;
comment on function private.tip_for(text, jsonb) is 'The tip a Stripe object is about (by PaymentIntent id, or metadata.tip_id).';

create function private.tip_wait(p_why text) returns void
language plpgsql
set search_path = ''
as $$
begin
  raise exception 'Not yet: %', p_why using errcode = 'WRTRY';
end
$$;
comment on function private.tip_wait(text) is 'Give up on an event for now: the worker retries it later (WRTRY).';

create function private.apply_tip_dispute(p_tip public.tips, p_dispute jsonb, p_event_id text, p_closed boolean)
returns void
language plpgsql volatile
set search_path = ''
as $$
declare
  v_amount bigint := (p_dispute ->> 'amount')::bigint;
  v_fee bigint := round(p_tip.fee_amount::numeric * v_amount / p_tip.amount);
  v_dj text := 'dj:' || coalesce(p_tip.dj_id, '00000000-0000-0000-0000-000000000000');
  v_held text := 'dj_held:' || coalesce(p_tip.dj_id, '00000000-0000-0000-0000-000000000000');
  v_key text := 'dispute:' || (p_dispute ->> 'id');
  v_status text := p_dispute ->> 'status';
begin
  perform private.post(p_tip, v_key || ':opened', p_event_id, jsonb_build_array(
    jsonb_build_object('account', v_dj, 'amount', -(v_amount - v_fee)),
    jsonb_build_object('account', v_held, 'amount', v_amount - v_fee)
  ));
  if p_closed and v_status = 'won' then
    perform private.post(p_tip, v_key || ':won', p_event_id, jsonb_build_array(
      jsonb_build_object('account', v_held, 'amount', -(v_amount - v_fee)),
      jsonb_build_object('account', v_dj, 'amount', v_amount - v_fee)
    ));
  elsif p_closed and v_status = 'lost' then
    if private.post(p_tip, v_key || ':lost', p_event_id, jsonb_build_array(
      jsonb_build_object('account', v_held, 'amount', -(v_amount - v_fee)),
      jsonb_build_object('account', 'platform_fees', 'amount', -v_fee),
      jsonb_build_object('account', 'stripe', 'amount', v_amount)
    )) then
      update public.tips as t set amount_lost = t.amount_lost + v_amount where t.id = p_tip.id;
    end if;
  end if;
  update public.tips as t set dispute_status = v_status where t.id = p_tip.id;
end
$$;
comment on function private.apply_tip_dispute(public.tips, jsonb, text, boolean) is
  'A dispute on a succeeded tip: hold the DJ''s share when opened; release it (won) or charge it back (lost).';

create function private.apply_stripe_event(p_event jsonb) returns text
language plpgsql volatile
set search_path = ''
as $$
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
    update public.payout_accounts as a
    set charges_enabled = coalesce((v_object ->> 'charges_enabled')::boolean, false),
      payouts_enabled = coalesce((v_object ->> 'payouts_enabled')::boolean, false),
      details_submitted = coalesce((v_object ->> 'details_submitted')::boolean, false),
      requirements_due = coalesce(array(select jsonb_array_elements_text(v_object -> 'requirements' -> 'currently_due')), '{}'),
      disabled_reason = v_object -> 'requirements' ->> 'disabled_reason', event_at = v_at
    where a.stripe_account_id = v_object ->> 'id' and (a.event_at is null or a.event_at < v_at);
    return 'account updated';
  elsif v_type not in ('payment_intent.succeeded', 'payment_intent.payment_failed', 'charge.refunded',
    'charge.dispute.created', 'charge.dispute.closed') then
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
      v_fee := round(v_tip.fee_amount::numeric * v_delta / v_tip.amount);
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
    perform private.apply_tip_dispute(v_tip, v_object, v_id, v_type = 'charge.dispute.closed');
    return 'dispute';
  end if;
  return 'no effect';
end
$$;
comment on function private.apply_stripe_event(jsonb) is
  'Apply one Stripe event to tips, the ledger or payout accounts (see the migration''s header); returns what it did. '
  'Raises WRTRY when the event must wait for an earlier one.';

create or replace function private.apply_webhook_event(p_row private.webhook_events) returns text
language plpgsql volatile
set search_path = ''
as $$
begin
  if p_row.provider = 'revenuecat' then
    return private.apply_revenuecat_event(p_row.payload, p_row.livemode);
  end if;
  return private.apply_stripe_event(p_row.payload);
end
$$;

create function hidden.my_tip_balance() returns json
language sql stable security definer
set search_path = ''
as $$
  select coalesce(json_agg(json_build_object('currency', b.currency, 'available', b.available, 'held', b.held)
    order by b.currency), '[]')
  from (
    select e.currency,
      sum(e.amount) filter (where e.account = 'dj:' || u.id) as available,
      coalesce(sum(e.amount) filter (where e.account = 'dj_held:' || u.id), 0) as held
    from private.ledger_entries as e
    cross join (select hidden.require_user() as id) as u
    where e.account in ('dj:' || u.id, 'dj_held:' || u.id)
    group by e.currency
  ) as b
$$;
comment on function hidden.my_tip_balance() is 'Implementation of my_tip_balance.';
grant execute on function hidden.my_tip_balance() to authenticated;

create function public.my_tip_balance() returns json
language sql stable
set search_path = ''
as $$ select hidden.my_tip_balance() $$;
comment on function public.my_tip_balance() is
  E'Your tip earnings from the ledger, per currency, in the smallest unit: [{currency, available, held}] '
  '(held: under dispute). Stripe pays out to your connected account on its schedule.\n'
  'Errors: 42501 (HTTP 401) without a signed-in user.\n'
  'Example: const { data } = await supabase.rpc(''my_tip_balance'')';
grant execute on function public.my_tip_balance() to authenticated;
