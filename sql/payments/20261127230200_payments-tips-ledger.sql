/*
 * payments-tips-ledger: tips, DJs' payout accounts, and the double-entry ledger that is the
 * source of DJ balances.
 *
 * A tip is recorded pending (by the create-tip edge function, as the tipper) before its Stripe
 * PaymentIntent exists; from then on only Stripe's events move it (private.apply_stripe_event,
 * run by the webhook worker). Every money movement is a set of ledger entries summing to zero,
 * written once per (tip, movement) whatever the number of deliveries:
 *
 *   succeeded (A, fee F):     stripe -A        dj +(A-F)      platform_fees +F
 *   refund of R (cumulative): stripe +R        dj -(R-f)      platform_fees -f     f = F*R/A
 *   dispute opened (D):       dj -(D-d)        dj_held +(D-d)                       d = F*D/A
 *   dispute won:              dj_held -(D-d)   dj +(D-d)
 *   dispute lost:             dj_held -(D-d)   platform_fees -d   stripe +D
 *
 * (Destination charges: the platform collects, keeps its fee, and Stripe transfers the rest to
 * the DJ's connected account; refunds reverse the transfer and the fee proportionally;
 * chargebacks are debited from the platform.) A DJ's balance is the sum of their `dj` entries;
 * private.ledger_check() proves every movement balances and every tip's entries match its state.
 */

create type public.tip_status as enum ('pending', 'succeeded', 'failed', 'refunded');
comment on type public.tip_status is
  'pending (payment sheet open) -> succeeded | failed; succeeded -> refunded once fully refunded.';

create table public.payout_accounts (
  dj_id uuid primary key references public.profiles (id) on delete cascade,
  stripe_account_id text not null unique check (stripe_account_id ~ '^acct_[A-Za-z0-9]+$'),
  charges_enabled boolean not null default false,
  payouts_enabled boolean not null default false,
  details_submitted boolean not null default false,
  requirements_due text[] not null default '{}',
  disabled_reason text,
  event_at timestamptz,
  created_at timestamptz not null default now()
);
comment on table public.payout_accounts is
  'A DJ''s Stripe Express connected account; readiness comes only from Stripe''s account.updated events.';
comment on column public.payout_accounts.dj_id is 'The DJ.';
comment on column public.payout_accounts.stripe_account_id is 'Stripe connected account id (acct_...).';
comment on column public.payout_accounts.charges_enabled is 'Stripe may take payments for this account (tips allowed).';
comment on column public.payout_accounts.payouts_enabled is 'Stripe may pay the DJ out.';
comment on column public.payout_accounts.details_submitted is 'The DJ finished onboarding.';
comment on column public.payout_accounts.requirements_due is 'Stripe''s requirements.currently_due.';
comment on column public.payout_accounts.disabled_reason is 'Stripe''s requirements.disabled_reason, if any.';
comment on column public.payout_accounts.event_at is 'Time of the account.updated event applied last (older ones are ignored).';
comment on column public.payout_accounts.created_at is 'When the account was created.';
alter table public.payout_accounts enable row level security;
create policy "DJs read their own payout account" on public.payout_accounts
  for select to authenticated using (dj_id = (select auth.uid()));
grant select on public.payout_accounts to authenticated;
-- NOTE: no client writes: the onboarding edge function and account.updated events write it.

create table public.tips (
  id uuid primary key default gen_random_uuid(),
  session_id uuid references public.dj_sessions (id) on delete set null,
  dj_id uuid references public.profiles (id) on delete set null,
  tipper_id uuid references public.profiles (id) on delete set null,
  amount integer not null check (amount > 0 and amount <= 99999999),
  currency text not null check (currency ~ '^[a-z]{3}$'),
  fee_amount integer not null check (fee_amount >= 0),
  message text check (char_length(message) <= 200),
  boost_item_id uuid references public.queue_items (id) on delete set null,
  status public.tip_status not null default 'pending',
  payment_intent_id text unique check (payment_intent_id ~ '^pi_[A-Za-z0-9_]+$'),
  charge_id text,
  amount_refunded integer not null default 0 check (amount_refunded >= 0),
  amount_lost integer not null default 0 check (amount_lost >= 0),
  dispute_status text,
  failure_code text,
  event_at timestamptz,
  created_at timestamptz not null default now(),
  succeeded_at timestamptz,
  check (fee_amount <= amount and amount_refunded <= amount)
);
comment on table public.tips is 'A listener''s tip to a DJ in a session, paid through Stripe (destination charge).';
comment on column public.tips.id is 'The tip (its id is in the PaymentIntent''s metadata and idempotency key).';
comment on column public.tips.session_id is 'The session it was given in (NULL once the session is deleted).';
comment on column public.tips.dj_id is 'Who receives it (NULL once the DJ''s account is deleted; the ledger keeps balancing).';
comment on column public.tips.tipper_id is 'Who gave it (NULL once the tipper''s account is deleted).';
comment on column public.tips.amount is 'Amount in the currency''s smallest unit.';
comment on column public.tips.currency is 'ISO currency, lower-case.';
comment on column public.tips.fee_amount is 'The platform''s application fee, same unit.';
comment on column public.tips.message is 'Optional message to the DJ.';
comment on column public.tips.boost_item_id is 'The request it boosts, if any (bounded by tip_boost_cap).';
comment on column public.tips.status is 'pending, succeeded, failed or refunded (fully); see tip_status.';
comment on column public.tips.payment_intent_id is 'Stripe PaymentIntent (pi_...).';
comment on column public.tips.charge_id is 'Stripe charge (ch_...) once it succeeded.';
comment on column public.tips.amount_refunded is 'Refunded so far (partial refunds accumulate).';
comment on column public.tips.amount_lost is 'Lost to disputes (charged back).';
comment on column public.tips.dispute_status is 'Stripe dispute status if disputed (needs_response, won, lost, ...).';
comment on column public.tips.failure_code is 'Why the payment failed (Stripe last_payment_error code).';
comment on column public.tips.event_at is 'Time of the newest Stripe event applied (older ones never overwrite).';
comment on column public.tips.created_at is 'When the tip was started.';
comment on column public.tips.succeeded_at is 'When the payment succeeded.';
create index tips_session_idx on public.tips (session_id, status);
create index tips_dj_idx on public.tips (dj_id, created_at desc);
create index tips_tipper_idx on public.tips (tipper_id, created_at desc);
create index tips_boost_item_idx on public.tips (boost_item_id) where boost_item_id is not null;
alter table public.tips enable row level security;
create policy "Tippers and DJs read their tips" on public.tips
  for select to authenticated using ((select auth.uid()) in (tipper_id, dj_id));
grant select on public.tips to authenticated;
-- NOTE: tips are written by the create-tip edge function and the webhook worker, not by clients.

create table private.ledger_entries (
  id bigint generated always as identity primary key,
  tip_id uuid not null references public.tips (id) on delete restrict,
  movement text not null,
  account text not null check (account ~ '^(stripe|platform_fees|dj:[0-9a-f-]{36}|dj_held:[0-9a-f-]{36})$'),
  amount bigint not null,
  currency text not null,
  event_id text not null,
  created_at timestamptz not null default now(),
  unique (tip_id, movement, account)
);
comment on table private.ledger_entries is 'Double-entry ledger: each movement of a tip is entries summing to zero.';
comment on column private.ledger_entries.id is 'Order written.';
comment on column private.ledger_entries.tip_id is 'The tip moved.';
comment on column private.ledger_entries.movement is 'succeeded, refund:<cumulative amount>, dispute:<id>:opened|won|lost.';
comment on column private.ledger_entries.account is 'stripe (money outside), platform_fees, dj:<id>, dj_held:<id> (disputed).';
comment on column private.ledger_entries.amount is 'Signed amount in the smallest currency unit.';
comment on column private.ledger_entries.currency is 'The tip''s currency.';
comment on column private.ledger_entries.event_id is 'The Stripe event that caused it.';
comment on column private.ledger_entries.created_at is 'When it was written.';
create index ledger_entries_account_idx on private.ledger_entries (account, currency);
alter table private.ledger_entries enable row level security;
-- NOTE: no policies and no grants: written by the worker only; DJs read balances through an RPC.

create function private.post(p_tip public.tips, p_movement text, p_event_id text, p_lines jsonb) returns boolean
language plpgsql volatile
set search_path = ''
as $$
declare
  v_written integer;
begin
  if (select sum((l.value ->> 'amount')::bigint) from jsonb_array_elements(p_lines) as l) <> 0 then
    raise exception 'Unbalanced movement % of tip %', p_movement, p_tip.id using errcode = 'LEDGR';
  end if;
  -- Once per (tip, movement, account): a repeated movement writes nothing.
  insert into private.ledger_entries (tip_id, movement, account, amount, currency, event_id)
  select p_tip.id, p_movement, l.value ->> 'account', (l.value ->> 'amount')::bigint, p_tip.currency, p_event_id
  from jsonb_array_elements(p_lines) as l
  where (l.value ->> 'amount')::bigint <> 0
  on conflict (tip_id, movement, account) do nothing;
  get diagnostics v_written = row_count;
  return v_written > 0;
end
$$;
comment on function private.post(public.tips, text, text, jsonb) is
  'Write one balanced movement of a tip (a JSON array of {account, amount}); idempotent per movement. '
  'Returns whether it was new.';

create function private.ledger_check() returns table (tip_id uuid, problem text)
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
$$;
comment on function private.ledger_check() is
  'Every violation of the ledger''s invariants (empty when sound): unbalanced movements, and tips whose '
  'entries do not match their state.';

-- The account export gains the payment sections (the rest as in accounts-lifecycle).
create or replace function hidden.export_my_data() returns json
language sql stable security definer
set search_path = ''
as $$
  -- Everything we hold about the caller, by what it is to them. Not included: who blocked or
  -- reported them, and moderators' identities on actions against them (other people's data).
  select json_build_object(
    'format', 'whatssound-export/1',
    'exported_at', now(),
    'account', (
      select json_build_object(
        'id', u.id, 'phone', u.phone, 'email', u.email, 'created_at', u.created_at,
        'last_sign_in_at', u.last_sign_in_at, 'is_anonymous', u.is_anonymous,
        'providers', u.raw_app_meta_data -> 'providers'
      ) from auth.users as u where u.id = me.id
    ),
    'profile', (select to_json(p) from public.profiles as p where p.id = me.id),
    'staff_role', (select s.role from private.staff as s where s.user_id = me.id),
    'entitlements', (select coalesce(json_agg(e), '[]') from public.entitlements as e where e.user_id = me.id),
    'following', (select coalesce(json_agg(f), '[]') from public.follows as f where f.follower_id = me.id),
    'followers', (select coalesce(json_agg(f), '[]') from public.follows as f where f.followee_id = me.id),
    'blocking', (select coalesce(json_agg(b), '[]') from public.blocks as b where b.blocker_id = me.id),
    'sessions_hosted', (select coalesce(json_agg(s), '[]') from public.dj_sessions as s where s.dj_id = me.id),
    'memberships', (select coalesce(json_agg(m), '[]') from public.session_members as m where m.user_id = me.id),
    'moderating_for', (select coalesce(json_agg(d), '[]') from public.dj_moderators as d where d.user_id = me.id),
    'my_moderators', (select coalesce(json_agg(d), '[]') from public.dj_moderators as d where d.dj_id = me.id),
    'chat_messages', (select coalesce(json_agg(c), '[]') from public.chat_messages as c where c.author_id = me.id),
    'requests', (select coalesce(json_agg(q), '[]') from public.queue_items as q where q.requested_by = me.id),
    'votes', (select coalesce(json_agg(v), '[]') from public.queue_votes as v where v.user_id = me.id),
    'skip_votes', (select coalesce(json_agg(v), '[]') from public.skip_votes as v where v.user_id = me.id),
    'plays_requested', (
      select coalesce(json_agg(s), '[]') from public.session_plays as s where s.requested_by = me.id
    ),
    'playlists', (
      select coalesce(json_agg(json_build_object('playlist', l, 'tracks', (
        select coalesce(json_agg(t order by t.position), '[]') from public.playlist_tracks as t
        where t.playlist_id = l.id
      ))), '[]')
      from public.playlists as l where l.owner_id = me.id
    ),
    'notifications', (select coalesce(json_agg(n), '[]') from public.notifications as n where n.user_id = me.id),
    'bans_received', (
      select coalesce(json_agg(json_build_object(
        'dj_id', b.dj_id, 'kind', b.kind, 'reason', b.reason, 'created_at', b.created_at,
        'expires_at', b.expires_at, 'revoked_at', b.revoked_at
      )), '[]') from public.dj_bans as b where b.user_id = me.id
    ),
    'bans_issued', (select coalesce(json_agg(b), '[]') from public.dj_bans as b where b.dj_id = me.id),
    'blocked_terms', (select coalesce(json_agg(t), '[]') from public.dj_blocked_terms as t where t.dj_id = me.id),
    'reports_filed', (select coalesce(json_agg(r), '[]') from public.reports as r where r.reporter_id = me.id),
    'moderation_actions_taken', (
      select coalesce(json_agg(l), '[]') from public.moderation_log as l where l.actor_id = me.id
    ),
    'sms_sent', (
      select coalesce(json_agg(json_build_object('created_at', m.created_at, 'outcome', m.outcome)), '[]')
      from private.sms_sends as m where m.user_id = me.id
    ),
    'tips_given', (select coalesce(json_agg(t), '[]') from public.tips as t where t.tipper_id = me.id),
    'tips_received', (select coalesce(json_agg(t), '[]') from public.tips as t where t.dj_id = me.id),
    'payout_account', (select to_json(a) from public.payout_accounts as a where a.dj_id = me.id),
    'personal_events', (
      select coalesce(json_agg(l.payload order by l.seq), '[]') from private.realtime_log as l
      where l.topic = 'user:' || me.id
    )
  )
  from (select hidden.require_user() as id) as me
$$;
