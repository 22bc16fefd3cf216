/*
 * payments-start-tip: what the create-tip and connect-onboarding edge functions call.
 *
 * Creating a tip is two steps around Stripe (edge/functions/create-tip):
 *   1. as the caller (role authenticated, their JWT claims): hidden.start_tip records a pending
 *      tip through the tips INSERT policy; a trigger validates everything the database knows
 *      (session live, caller a member not banned or blocked, DJ payable, currency and amount
 *      limits, rate limit) and fills in DJ, tipper and platform fee. Idempotent per client
 *      request id, so a retry from a flaky network finds the same tip.
 *   2. as service_role: hidden.tip_charge gives the PaymentIntent's parameters (including the
 *      DJ's connected account, which the tipper may not read); after Stripe answered,
 *      hidden.attach_tip_payment_intent records the PaymentIntent id.
 * Onboarding: hidden.begin_payout_onboarding (as the caller: DJs only) and
 * hidden.record_payout_account (service_role: remembers the Express account Stripe created).
 * Readiness stays with account.updated events (payments-stripe-processing).
 */

create table public.tip_currencies (
  currency text primary key check (currency ~ '^[a-z]{3}$'),
  decimals smallint not null check (decimals in (0, 2)),
  minimum integer not null check (minimum > 0),
  maximum integer not null,
  check (maximum >= minimum)
);
comment on table public.tip_currencies is
  'Currencies tips may be given in, with their limits (amounts in the smallest unit, as Stripe counts them).';
comment on column public.tip_currencies.currency is 'ISO 4217 code, lower-case.';
comment on column public.tip_currencies.decimals is 'Minor-unit digits: 2 (usd: 150 = $1.50) or 0 (zero-decimal: jpy 500 = 500 yen).';
comment on column public.tip_currencies.minimum is 'Smallest tip, smallest unit (above Stripe''s own minimum charge).';
comment on column public.tip_currencies.maximum is 'Largest tip, smallest unit (a fraud and mistake guard).';
alter table public.tip_currencies enable row level security;
create policy "Anyone reads the tip currencies" on public.tip_currencies for select to anon, authenticated using (true);
grant select on public.tip_currencies to anon, authenticated;

insert into public.tip_currencies (currency, decimals, minimum, maximum) values
  ('usd', 2, 100, 50000),
  ('eur', 2, 100, 50000),
  ('gbp', 2, 100, 50000),
  ('cad', 2, 100, 50000),
  ('aud', 2, 100, 50000),
  ('jpy', 0, 150, 70000),
  ('krw', 0, 1500, 700000);

insert into private.settings (key, value, description) values
  ('tip_fee_bps', '1000', 'Platform fee on a tip, in basis points of the amount (1000 = 10%), rounded down.'),
  ('tip_rate_capacity', '5', 'Tips a user may start at once.'),
  ('tip_rate_per_second', '0.0167', 'Sustained rate of tips started per user (about one a minute).');

alter table public.tips add column client_request_id uuid;
comment on column public.tips.client_request_id is
  'The app''s id for this tip attempt (one per tap on "tip"); retries with it find the same tip.';
alter table public.tips add constraint tips_client_request_key unique (tipper_id, client_request_id);

-- validation of a new tip, whoever inserts it -------------------------------------------------

create function hidden.prepare_tip(p_tip public.tips) returns public.tips
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_tip public.tips := p_tip;
  v_uid uuid := hidden.require_user();
  v_session public.dj_sessions;
  v_limits public.tip_currencies;
  v_wait double precision;
begin
  if hidden.is_anonymous(v_uid) then
    raise exception 'Guests cannot tip.' using errcode = 'ANONY', hint = 'Sign in with a phone number, Apple or Google first.';
  end if;
  select * into v_session from public.dj_sessions as s where s.id = v_tip.session_id;
  if v_session.id is null then
    raise exception 'No such session.' using errcode = 'P0002', hint = 'Check the session id.';
  elsif v_session.status <> 'live' then
    raise exception 'Tips are taken while the session is live.' using errcode = 'NLIVE', hint = 'Tip during the set.';
  elsif v_session.dj_id = v_uid then
    raise exception 'You cannot tip yourself.' using errcode = 'SELFX', hint = 'Tips go to the DJ of the session.';
  elsif hidden.is_banned(v_session.dj_id, v_uid) then
    raise exception 'You are banned or timed out in this DJ''s sessions.' using errcode = 'BANND',
      hint = 'You can tip again when it is lifted.';
  elsif exists (select 1 from public.blocks as b where b.blocker_id = v_session.dj_id and b.blocked_id = v_uid) then
    raise exception 'This DJ does not take tips from you.' using errcode = 'BLOCK', hint = 'Nothing to do; do not retry.';
  elsif not exists (
    select 1 from public.session_members as m where m.session_id = v_session.id and m.user_id = v_uid and m.left_at is null
  ) then
    raise exception 'Join the session first.' using errcode = 'NOTIN', hint = 'Call join_session.';
  elsif not exists (select 1 from public.payout_accounts as a where a.dj_id = v_session.dj_id and a.charges_enabled) then
    raise exception 'This DJ cannot take tips yet.' using errcode = 'DJACC',
      hint = 'The DJ has to finish payout onboarding with Stripe.';
  end if;
  select * into v_limits from public.tip_currencies as c where c.currency = lower(v_tip.currency);
  if v_limits.currency is null then
    raise exception 'Tips in % are not supported.', upper(v_tip.currency) using errcode = 'CURRX',
      detail = json_build_object('supported', (select json_agg(c.currency order by c.currency) from public.tip_currencies as c))::text,
      hint = 'Pick one of the supported currencies (table tip_currencies).';
  elsif v_tip.amount not between v_limits.minimum and v_limits.maximum then
    raise exception 'A tip in % is between % and % (smallest unit).', upper(v_limits.currency), v_limits.minimum, v_limits.maximum
      using errcode = 'AMTRG', hint = 'Amounts are in the smallest unit: cents, or whole yen for zero-decimal currencies.',
        detail = json_build_object('currency', v_limits.currency, 'decimals', v_limits.decimals,
          'minimum', v_limits.minimum, 'maximum', v_limits.maximum)::text;
  end if;
  if v_tip.boost_item_id is not null and not exists (
    select 1 from public.queue_items as q where q.id = v_tip.boost_item_id and q.session_id = v_session.id and q.status = 'queued'
  ) then
    raise exception 'That request is not waiting in this session''s queue.' using errcode = 'STATE',
      hint = 'Boost a queued request of this session, or tip without one.';
  end if;
  v_wait := hidden.take_token(v_uid, 'tip', (hidden.setting('tip_rate_capacity'))::integer,
    (hidden.setting('tip_rate_per_second'))::double precision);
  if v_wait > 0 then
    raise exception 'You have started many tips recently.' using errcode = 'RATEL',
      detail = json_build_object('retry_after_seconds', v_wait)::text, hint = 'Try again in a moment.';
  end if;
  v_tip.tipper_id := v_uid;
  v_tip.dj_id := v_session.dj_id;
  v_tip.currency := v_limits.currency;
  v_tip.fee_amount := v_tip.amount::bigint * (hidden.setting('tip_fee_bps'))::integer / 10000;
  v_tip.message := nullif(btrim(v_tip.message), '');
  return v_tip;
end
$$;
comment on function hidden.prepare_tip(public.tips) is
  'Validate a new tip as its tipper (live session, member, not banned or blocked, DJ payable, currency limits, '
  'rate) and fill in tipper, DJ and the platform fee. Run by the tips insert trigger.';
grant execute on function hidden.prepare_tip(public.tips) to authenticated;

create function private.tg_tips__start() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  -- Clients (role authenticated) are validated; the service's own writers are trusted.
  if current_user = 'authenticated' then
    return hidden.prepare_tip(NEW);
  end if;
  return NEW;
end
$$;
comment on function private.tg_tips__start() is 'Tips inserted by clients go through hidden.prepare_tip.';
create trigger _100_start before insert on public.tips
  for each row execute function private.tg_tips__start();

create policy "Tippers record their pending tips" on public.tips
  for insert to authenticated with check (tipper_id = (select auth.uid()) and status = 'pending');
grant insert (session_id, amount, currency, message, boost_item_id, client_request_id) on public.tips to authenticated;

-- step 1: as the caller -----------------------------------------------------------------------

create function hidden.start_tip(
  p_session_id uuid, p_amount integer, p_currency text, p_request_id uuid, p_message text, p_boost_item_id uuid
) returns public.tips
language plpgsql volatile
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_tip public.tips;
begin
  if p_request_id is null then
    raise exception 'A request id is required.' using errcode = '22023', hint = 'Send a new UUID per tip attempt.';
  end if;
  for attempt in 1..2 loop
    select * into v_tip from public.tips as t where t.tipper_id = v_uid and t.client_request_id = p_request_id;
    if v_tip.id is not null then
      if (v_tip.session_id, v_tip.amount, v_tip.currency, v_tip.message, v_tip.boost_item_id)
        is distinct from (p_session_id, p_amount, lower(p_currency), nullif(btrim(p_message), ''), p_boost_item_id) then
        raise exception 'This request id was used for a different tip.' using errcode = 'IDMIS',
          hint = 'Use a new request id for a new tip; reuse it only to retry the same one.';
      end if;
      return v_tip;  -- a retry: the same tip
    end if;
    insert into public.tips (session_id, amount, currency, message, boost_item_id, client_request_id)
    values (p_session_id, p_amount, p_currency, p_message, p_boost_item_id, p_request_id)
    on conflict (tipper_id, client_request_id) do nothing
    returning * into v_tip;
    if v_tip.id is not null then
      return v_tip;
    end if;  -- a concurrent retry won: read its tip
  end loop;
  raise exception 'Could not record the tip.' using errcode = 'STATE', hint = 'Retry with the same request id.';
exception
  when check_violation then
    raise exception 'Invalid tip: %.', sqlerrm using errcode = '22023', hint = 'A message is at most 200 characters.';
end
$$;
comment on function hidden.start_tip(uuid, integer, text, uuid, text, uuid) is
  'Record a pending tip as the caller (RLS and the tips trigger apply); the same request id returns the same tip. '
  'Called by the create-tip edge function (not exposed through the API: a tip without a PaymentIntent is never paid). '
  'Errors: LOGIN; ANONY; P0002; NLIVE; SELFX; BANND; BLOCK; NOTIN; DJACC; CURRX; AMTRG; STATE; RATEL; IDMIS; 22023.';
grant execute on function hidden.start_tip(uuid, integer, text, uuid, text, uuid) to authenticated;

-- step 2: as service_role, around the Stripe call ---------------------------------------------

create function hidden.tip_charge(p_tip_id uuid) returns jsonb
language plpgsql stable security definer
set search_path = ''
as $$
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
    raise exception 'No such tip.' using errcode = 'P0002', hint = 'Check the tip id.';
  end if;
  return v_charge;
end
$$;
comment on function hidden.tip_charge(uuid) is
  'What the PaymentIntent of a tip is made of (amount, fee, the DJ''s connected account); service_role only.';
grant execute on function hidden.tip_charge(uuid) to service_role;

create function hidden.attach_tip_payment_intent(p_tip_id uuid, p_payment_intent_id text) returns public.tips
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_tip public.tips;
begin
  update public.tips as t set payment_intent_id = p_payment_intent_id
  where t.id = p_tip_id and (t.payment_intent_id is null or t.payment_intent_id = p_payment_intent_id)
  returning * into v_tip;
  if v_tip.id is null then
    raise exception 'Tip % has another PaymentIntent.', p_tip_id using errcode = 'STATE',
      hint = 'A tip has one PaymentIntent: reuse it.';
  end if;
  return v_tip;
end
$$;
comment on function hidden.attach_tip_payment_intent(uuid, text) is
  'Remember the PaymentIntent Stripe created for a tip (idempotent; never replaces another); service_role only.';
grant execute on function hidden.attach_tip_payment_intent(uuid, text) to service_role;

-- DJ payout onboarding ------------------------------------------------------------------------

create function hidden.begin_payout_onboarding() returns public.payout_accounts
language plpgsql stable
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_account public.payout_accounts;
begin
  if hidden.is_anonymous(v_uid) then
    raise exception 'Guests cannot receive tips.' using errcode = 'ANONY', hint = 'Sign in with a phone number, Apple or Google first.';
  elsif not coalesce((select p.is_dj from public.profiles as p where p.id = v_uid), false) then
    raise exception 'Only DJs set up payouts.' using errcode = 'DJONL', hint = 'Turn on DJ mode in your profile first.';
  end if;
  select * into v_account from public.payout_accounts as a where a.dj_id = v_uid;  -- RLS: their own
  return v_account;
end
$$;
comment on function hidden.begin_payout_onboarding() is
  'As the caller: check they may onboard (a signed-in DJ) and return their payout account, if any (id NULL when none). '
  'Called by the connect-onboarding edge function. Errors: LOGIN; ANONY; DJONL.';
grant execute on function hidden.begin_payout_onboarding() to authenticated;

create function hidden.record_payout_account(p_dj_id uuid, p_account_id text) returns public.payout_accounts
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_account public.payout_accounts;
begin
  insert into public.payout_accounts (dj_id, stripe_account_id) values (p_dj_id, p_account_id)
  on conflict (dj_id) do nothing;
  select * into v_account from public.payout_accounts as a where a.dj_id = p_dj_id;
  return v_account;  -- the first account recorded wins; Stripe's idempotency makes a second one rare
end
$$;
comment on function hidden.record_payout_account(uuid, text) is
  'Remember the Stripe Express account created for a DJ (the first one recorded wins; readiness comes later from '
  'account.updated); service_role only.';
grant execute on function hidden.record_payout_account(uuid, text) to service_role;
