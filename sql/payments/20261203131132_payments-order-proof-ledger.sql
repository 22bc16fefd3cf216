/*
 * payments-order-proof-ledger: exact fee shares, dispute states that only move forward, and
 * payout readiness that a one-second tie cannot get wrong (issue 18 §3-5).
 *
 * Restates private.apply_stripe_event (payments-stripe-processing, the newest body: no later
 * migration restates it), private.ledger_check (payments-tips-ledger) and replaces
 * private.apply_tip_dispute with a version that takes the event's time.
 *
 * 1. Fee shares are cumulative. Each partial refund used to round its own fee share
 *    (round(F*R/A) per step), so a tip refunded in steps could give back F+1 (1,000 with fee
 *    100 refunded 5 then 995: 1 + 100): the DJ ended +1, the platform -1, and ledger_check, which
 *    only looked at Stripe's side, saw nothing. Now the platform's share of everything a charge
 *    has given back (refunds and lost disputes, T) is round(F*T/A), and each step posts that
 *    less what the ledger says was already given back: the steps telescope, and a full refund
 *    gives back exactly F (an old drift is absorbed by the next step). ledger_check gains the
 *    per-tip split: the DJ's and the platform's entries must be exactly what the charge, its
 *    refunds and its lost disputes imply, and nothing may stay held once a dispute is closed.
 *
 * 2. Dispute states move forward only. A late charge.dispute.created used to overwrite a closed
 *    dispute's status (won -> needs_response). Now a status replaces the current one only when it
 *    is later in Stripe's machine (warning_needs_response < warning_under_review <
 *    needs_response < under_review < closed: won, lost, warning_closed, prevented,
 *    charge_refunded), or the same step with a newer event time; a closed status is final.
 *    The machine comes first because Stripe's `created` has one-second resolution (a dispute
 *    updated and closed in the same second ties on time). charge.dispute.updated is now
 *    applied too (status only). Any close other than lost releases the hold (an inquiry closed
 *    with warning_closed used to stay held).
 *
 * 3. Payout readiness is re-read from Stripe. Two account.updated events of the same second
 *    could not be ordered (the strict `<` kept the first: "charges off" then "charges on" left
 *    the DJ unable to take tips). An update still applies at once when it is newer by Stripe's
 *    second (the fast path), and every update, newer or not, also enqueues
 *    payments:refresh_account (one waiting per account, one running per account): the worker
 *    reads GET /v1/accounts/{id} and stores what Stripe says now, stamped with the time the read
 *    started. That read starts after the event was processed, so the last read reflects every
 *    update received: the final state is Stripe's whatever the order or the ties.
 */

alter table public.tips add column dispute_event_at timestamptz;
comment on column public.tips.dispute_event_at is
  'Time of the Stripe event that set dispute_status (with Stripe''s dispute machine, decides what may replace it).';

alter table public.payout_accounts add column read_at timestamptz;
comment on column public.payout_accounts.read_at is
  'When the stored state was last read from Stripe''s API (GET /v1/accounts/{id}); NULL: only from events.';
comment on column public.payout_accounts.event_at is
  'Time of the newest state applied: an account.updated event''s created, or a read from Stripe (older events are ignored).';

-- helper functions -------------------------------------------------------------------------------

create function private.dispute_rank(p_status text) returns integer
language sql immutable
set search_path = ''
as $$
  select case p_status
    when 'warning_needs_response' then 1
    when 'warning_under_review' then 2
    when 'needs_response' then 3
    when 'under_review' then 4
    when 'won' then 5
    when 'lost' then 5
    when 'warning_closed' then 5
    when 'prevented' then 5
    when 'charge_refunded' then 5
    else 0
  end
$$;
comment on function private.dispute_rank(text) is
  'Step of a Stripe dispute status in its machine (5: closed, final; 0: a status we do not know).';

create function private.tip_fee_share(p_tip public.tips, p_given_back bigint) returns bigint
language sql stable
set search_path = ''
as $$
  -- The platform's share of all it has given back so far, less what the ledger already gave back.
  select round(p_tip.fee_amount::numeric * p_given_back / p_tip.amount)::bigint
    + coalesce((
      select sum(e.amount) from private.ledger_entries as e
      where e.tip_id = p_tip.id and e.account = 'platform_fees' and e.movement <> 'succeeded'
    ), 0)
$$;
comment on function private.tip_fee_share(public.tips, bigint) is
  'Fee share of the next step once p_given_back (refunded + lost, cumulative) has left the charge: '
  'round(fee * given back / amount) less what earlier steps already took back, so the steps add up exactly.';

create function private.store_payout_account(p_account jsonb, p_at timestamptz, p_read boolean) returns boolean
language sql volatile
set search_path = ''
as $$
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
comment on function private.store_payout_account(jsonb, timestamptz, boolean) is
  'Store a Stripe account object as the DJ''s payout readiness: from an event (p_read false: if newer than the '
  'state stored) or from a read of the API started at p_at (p_read true: if later than the last read; a read '
  'wins over events older than it). Returns whether it changed the row.';

create function private.apply_tip_dispute(
  p_tip public.tips, p_dispute jsonb, p_event_id text, p_closed boolean, p_at timestamptz
) returns void
language plpgsql volatile
set search_path = ''
as $$
declare
  v_amount bigint := (p_dispute ->> 'amount')::bigint;
  v_dj text := 'dj:' || coalesce(p_tip.dj_id, '00000000-0000-0000-0000-000000000000');
  v_held text := 'dj_held:' || coalesce(p_tip.dj_id, '00000000-0000-0000-0000-000000000000');
  v_key text := 'dispute:' || (p_dispute ->> 'id');
  v_status text := p_dispute ->> 'status';
  v_part bigint;
  v_forward boolean;
begin
  -- Opening (once, whichever event comes first): hold the DJ's part; the fee share is cumulative.
  v_part := v_amount - private.tip_fee_share(p_tip, p_tip.amount_refunded + p_tip.amount_lost + v_amount);
  perform private.post(p_tip, v_key || ':opened', p_event_id, jsonb_build_array(
    jsonb_build_object('account', v_dj, 'amount', -v_part),
    jsonb_build_object('account', v_held, 'amount', v_part)
  ));
  -- What the opening held (it may have been posted by an earlier event).
  select coalesce(sum(e.amount), 0) into v_part from private.ledger_entries as e
  where e.tip_id = p_tip.id and e.movement = v_key || ':opened' and e.account = v_held;
  -- Forward only: later in the machine, or the same step and newer; a closed status is final.
  v_forward := p_tip.dispute_status is null or (
    private.dispute_rank(p_tip.dispute_status) < 5
    and (private.dispute_rank(v_status), p_at)
    > (private.dispute_rank(p_tip.dispute_status), coalesce(p_tip.dispute_event_at, '-infinity'))
  );
  if v_forward then
    update public.tips as t set dispute_status = v_status, dispute_event_at = p_at where t.id = p_tip.id;
  end if;
  if not (p_closed and private.dispute_rank(v_status) = 5 and (v_forward or p_tip.dispute_status = v_status)) then
    return;
  elsif v_status = 'lost' then
    if private.post(p_tip, v_key || ':lost', p_event_id, jsonb_build_array(
      jsonb_build_object('account', v_held, 'amount', -v_part),
      jsonb_build_object('account', 'platform_fees', 'amount', -(v_amount - v_part)),
      jsonb_build_object('account', 'stripe', 'amount', v_amount)
    )) then
      update public.tips as t set amount_lost = t.amount_lost + v_amount where t.id = p_tip.id;
    end if;
  else
    perform private.post(p_tip, v_key || ':' || v_status, p_event_id, jsonb_build_array(
      jsonb_build_object('account', v_held, 'amount', -v_part),
      jsonb_build_object('account', v_dj, 'amount', v_part)
    ));
  end if;
end
$$;
comment on function private.apply_tip_dispute(public.tips, jsonb, text, boolean, timestamptz) is
  'A dispute event on a succeeded tip: hold the DJ''s share when first seen; move dispute_status forward only '
  '(private.dispute_rank, then event time; closed is final); on the close, charge it back (lost) or release it.';

drop function private.apply_tip_dispute(public.tips, jsonb, text, boolean);

-- Changed from payments-stripe-processing: refund fee shares are cumulative (tip_fee_share);
-- dispute events pass their time and charge.dispute.updated is applied; account.updated stores
-- through store_payout_account and enqueues a read of the account from Stripe.
create or replace function private.apply_stripe_event(p_event jsonb) returns text
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

-- Changed from payments-tips-ledger: adds the per-tip split (DJ and platform against what the
-- charge, its refunds and lost disputes imply) and holds left after a dispute closed.
create or replace function private.ledger_check() returns table (tip_id uuid, problem text)
language sql stable
set search_path = ''
as $$
  select e.tip_id, 'movement ' || e.movement || ' sums to ' || sum(e.amount)
  from private.ledger_entries as e group by e.tip_id, e.movement having sum(e.amount) <> 0
  union all
  -- What Stripe holds for a tip must be what was paid, less refunds and lost disputes.
  select t.id, 'stripe side ' || x.held || ' <> expected ' || x.expected
  from public.tips as t
  cross join lateral (
    select
      coalesce((select -sum(e.amount) from private.ledger_entries as e where e.tip_id = t.id and e.account = 'stripe'), 0)
        as held,
      case when t.status in ('succeeded', 'refunded') then t.amount else 0 end - t.amount_refunded - t.amount_lost
        as expected
  ) as x
  where x.held <> x.expected
  union all
  -- The split: the platform keeps its fee less round(fee * given back / amount), the DJ (available
  -- and held) the rest of what Stripe holds. Catches a drift of one unit that balances.
  select t.id, 'split dj ' || x.dj || ' / platform fees ' || x.fees || ' <> expected ' || x.dj_expected || ' / '
    || x.fees_expected
  from public.tips as t
  cross join lateral (
    select
      coalesce(sum(e.amount) filter (where e.account like 'dj%'), 0) as dj,
      coalesce(sum(e.amount) filter (where e.account = 'platform_fees'), 0) as fees
    from private.ledger_entries as e where e.tip_id = t.id
  ) as b
  cross join lateral (
    select
      case when t.status in ('succeeded', 'refunded') then t.fee_amount else 0 end
        - round(t.fee_amount::numeric * (t.amount_refunded + t.amount_lost) / t.amount) as share_kept
  ) as k
  cross join lateral (
    select b.dj, b.fees, k.share_kept as fees_expected,
      case when t.status in ('succeeded', 'refunded') then t.amount else 0 end - t.amount_refunded - t.amount_lost
        - k.share_kept as dj_expected
  ) as x
  where x.dj <> x.dj_expected or x.fees <> x.fees_expected
  union all
  -- Held money belongs to an open dispute only.
  select t.id, 'held ' || h.held || ' while the dispute is ' || coalesce(t.dispute_status, 'absent')
  from public.tips as t
  cross join lateral (
    select coalesce(sum(e.amount), 0) as held from private.ledger_entries as e
    where e.tip_id = t.id and e.account like 'dj\_held:%'
  ) as h
  where h.held < 0 or (h.held <> 0 and (t.dispute_status is null or private.dispute_rank(t.dispute_status) = 5))
$$;
comment on function private.ledger_check() is
  'Every violation of the ledger''s invariants (empty when sound): unbalanced movements; tips whose Stripe side, '
  'or DJ/platform split, does not match their state (paid, refunded, lost; fee shares round(fee * given back / '
  'amount)); money held with no open dispute. One row per problem: (tip_id, problem).';
