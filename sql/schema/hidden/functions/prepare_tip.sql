-- FUNCTION: prepare_tip(public.tips)
CREATE FUNCTION hidden.prepare_tip(p_tip public.tips) RETURNS public.tips
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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

-- COMMENT: FUNCTION prepare_tip(p_tip public.tips)
COMMENT ON FUNCTION hidden.prepare_tip(p_tip public.tips) IS 'Validate a new tip as its tipper (live session, member, not banned or blocked, DJ payable, currency limits, rate) and fill in tipper, DJ and the platform fee. Run by the tips insert trigger.';

-- ACL: FUNCTION prepare_tip(p_tip public.tips)
REVOKE ALL ON FUNCTION hidden.prepare_tip(p_tip public.tips) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.prepare_tip(p_tip public.tips) TO authenticated;
