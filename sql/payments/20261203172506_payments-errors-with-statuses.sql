/*
 * payments-errors-with-statuses: this domain's errors reach the app with the HTTP status they mean
 * (issue 19 §1).
 *
 * Every raise of a code whose status is not 400 (docs/error-codes.md, HTTP column) becomes a
 * PGRST raise built by hidden.api_error / hidden.api_response
 * (20261203172346_foundation-api-statuses.sql says why: PostgREST answers P0002 with 500 and
 * our own codes with 400). Nothing else changes: each function is restated from its newest
 * definition (named above it), with the same code, message, hint and details.
 * Restated: hidden.attach_tip_payment_intent, hidden.begin_payout_onboarding, hidden.prepare_tip,
 * hidden.start_tip, hidden.tip_charge.
 */

-- From 20261128000000_payments-start-tip.sql.
create or replace function hidden.prepare_tip(p_tip public.tips) returns public.tips
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
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'ANONY',
        'Guests cannot tip.',
        'Sign in with a phone number, Apple or Google first.'
      ),
      detail = hidden.api_response('ANONY');
  end if;
  select * into v_session from public.dj_sessions as s where s.id = v_tip.session_id;
  if v_session.id is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such session.', 'Check the session id.'),
      detail = hidden.api_response('P0002');
  elsif v_session.status <> 'live' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('NLIVE', 'Tips are taken while the session is live.', 'Tip during the set.'),
      detail = hidden.api_response('NLIVE');
  elsif v_session.dj_id = v_uid then
    raise exception 'You cannot tip yourself.' using errcode = 'SELFX', hint = 'Tips go to the DJ of the session.';
  elsif hidden.is_banned(v_session.dj_id, v_uid) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'BANND',
        'You are banned or timed out in this DJ''s sessions.',
        'You can tip again when it is lifted.'
      ),
      detail = hidden.api_response('BANND');
  elsif exists (select 1 from public.blocks as b where b.blocker_id = v_session.dj_id and b.blocked_id = v_uid) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('BLOCK', 'This DJ does not take tips from you.', 'Nothing to do; do not retry.'),
      detail = hidden.api_response('BLOCK');
  elsif not exists (
    select 1 from public.session_members as m where m.session_id = v_session.id and m.user_id = v_uid and m.left_at is null
  ) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('NOTIN', 'Join the session first.', 'Call join_session.'),
      detail = hidden.api_response('NOTIN');
  elsif not exists (select 1 from public.payout_accounts as a where a.dj_id = v_session.dj_id and a.charges_enabled) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'DJACC',
        'This DJ cannot take tips yet.',
        'The DJ has to finish payout onboarding with Stripe.'
      ),
      detail = hidden.api_response('DJACC');
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
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'STATE',
        'That request is not waiting in this session''s queue.',
        'Boost a queued request of this session, or tip without one.'
      ),
      detail = hidden.api_response('STATE');
  end if;
  v_wait := hidden.take_token(v_uid, 'tip', (hidden.setting('tip_rate_capacity'))::integer,
    (hidden.setting('tip_rate_per_second'))::double precision);
  if v_wait > 0 then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'RATEL',
        'You have started many tips recently.',
        'Try again in a moment.',
        json_build_object('retry_after_seconds', v_wait)::text
      ),
      detail = hidden.api_response('RATEL', v_wait);
  end if;
  v_tip.tipper_id := v_uid;
  v_tip.dj_id := v_session.dj_id;
  v_tip.currency := v_limits.currency;
  v_tip.fee_amount := v_tip.amount::bigint * (hidden.setting('tip_fee_bps'))::integer / 10000;
  v_tip.message := nullif(btrim(v_tip.message), '');
  return v_tip;
end
$$;

-- From 20261128000000_payments-start-tip.sql.
create or replace function hidden.start_tip(
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
        raise sqlstate 'PGRST' using
          message = hidden.api_error(
            'IDMIS',
            'This request id was used for a different tip.',
            'Use a new request id for a new tip; reuse it only to retry the same one.'
          ),
          detail = hidden.api_response('IDMIS');
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
  raise sqlstate 'PGRST' using
    message = hidden.api_error('STATE', 'Could not record the tip.', 'Retry with the same request id.'),
    detail = hidden.api_response('STATE');
exception
  when check_violation then
    raise exception 'Invalid tip: %.', sqlerrm using errcode = '22023', hint = 'A message is at most 200 characters.';
end
$$;

-- From 20261128000000_payments-start-tip.sql.
create or replace function hidden.tip_charge(p_tip_id uuid) returns jsonb
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
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such tip.', 'Check the tip id.'),
      detail = hidden.api_response('P0002');
  end if;
  return v_charge;
end
$$;

-- From 20261128000000_payments-start-tip.sql.
create or replace function hidden.attach_tip_payment_intent(p_tip_id uuid, p_payment_intent_id text) returns public.tips
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
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'STATE',
        format('Tip %s has another PaymentIntent.', p_tip_id),
        'A tip has one PaymentIntent: reuse it.'
      ),
      detail = hidden.api_response('STATE');
  end if;
  return v_tip;
end
$$;

-- From 20261128000000_payments-start-tip.sql.
create or replace function hidden.begin_payout_onboarding() returns public.payout_accounts
language plpgsql stable
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_account public.payout_accounts;
begin
  if hidden.is_anonymous(v_uid) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'ANONY',
        'Guests cannot receive tips.',
        'Sign in with a phone number, Apple or Google first.'
      ),
      detail = hidden.api_response('ANONY');
  elsif not coalesce((select p.is_dj from public.profiles as p where p.id = v_uid), false) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('DJONL', 'Only DJs set up payouts.', 'Turn on DJ mode in your profile first.'),
      detail = hidden.api_response('DJONL');
  end if;
  select * into v_account from public.payout_accounts as a where a.dj_id = v_uid;  -- RLS: their own
  return v_account;
end
$$;
