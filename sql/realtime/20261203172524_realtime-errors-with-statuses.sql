/*
 * realtime-errors-with-statuses: this domain's errors reach the app with the HTTP status they mean
 * (issue 19 §1).
 *
 * Every raise of a code whose status is not 400 (docs/error-codes.md, HTTP column) becomes a
 * PGRST raise built by hidden.api_error / hidden.api_response
 * (20261203172346_foundation-api-statuses.sql says why: PostgREST answers P0002 with 500 and
 * our own codes with 400). Nothing else changes: each function is restated from its newest
 * definition (named above it), with the same code, message, hint and details.
 * Restated: hidden.react, hidden.read_topic, hidden.room_state.
 */

-- From 20261202070500_realtime-crowd-signals.sql.
create or replace function hidden.react(p_session_id uuid, p_emoji text) returns boolean
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_wait double precision;
begin
  if not (hidden.setting('reaction_emoji') ? p_emoji) then
    raise exception 'That reaction is not offered.' using errcode = '22023',
      detail = json_build_object('allowed', hidden.setting('reaction_emoji'))::text, hint = 'Use one of details.allowed.';
  end if;
  perform 1 from public.session_members as m
  where m.session_id = p_session_id and m.user_id = v_uid and m.left_at is null;
  if not found then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('NOTIN', 'Join the session to react.', 'Call join_session first.'),
      detail = hidden.api_response('NOTIN');
  end if;
  v_wait := hidden.take_token(v_uid, 'reaction', (hidden.setting('reaction_rate_capacity'))::integer,
    (hidden.setting('reaction_rate_per_second'))::double precision);
  if v_wait > 0 then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'RATEL',
        'You are reacting very fast.',
        'Wait a moment.',
        json_build_object('retry_after_seconds', v_wait)::text
      ),
      detail = hidden.api_response('RATEL', v_wait);
  end if;
  perform private.rt_emit(p_session_id, 'reaction', jsonb_build_object('emoji', p_emoji, 'user_id', v_uid), true);
  return true;
end
$$;

-- From 20261202080000_realtime-fast-polls.sql.
create or replace function hidden.read_topic(
  p_topic text, p_after_seq bigint, p_limit integer, p_member_of uuid, p_catchup_max integer
) returns json
language plpgsql stable security definer
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
  v_uid uuid := auth.uid();
  v_after bigint := coalesce(p_after_seq, 0);
  r record;
begin
  -- One query: who is asking, may they (a member of p_member_of reads at once; anyone else is
  -- checked in full), the topic, their own topic, and the entries after p_after_seq.
  -- Suspended as hidden.require_user says: Supabase Auth's banned_until is in the future.
  select coalesce((select u.banned_until > now() from auth.users as u where u.id = v_uid), false) as suspended,
    exists (
      select 1 from public.session_members as m
      where m.session_id = p_member_of and m.user_id = v_uid and m.left_at is null
    ) as member,
    t.last_seq, t.delivery, t.poll_ms,
    (select me.last_seq from private.realtime_topics as me where me.topic = 'user:' || v_uid) as me,
    e.events, e.n, e.first_seq, e.last_seq as last_entry
  into r
  from (select p_topic as topic) as want
  left join private.realtime_topics as t on t.topic = want.topic
  cross join lateral (
    select json_agg(l.payload order by l.seq) as events, count(*) as n, min(l.seq) as first_seq,
      max(l.seq) as last_seq
    from (
      select l.seq, l.payload from private.realtime_log as l
      where l.topic = want.topic and l.seq > v_after and t.last_seq > v_after
      order by l.seq limit least(greatest(coalesce(p_limit, 100), 1), 500)
    ) as l
  ) as e;
  if v_uid is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'LOGIN',
        'You need to be signed in to do that.',
        'Sign in (an anonymous sign-in is enough to listen).'
      ),
      detail = hidden.api_response('LOGIN');
  elsif r.suspended then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('SUSPD', 'This account is suspended.', 'Contact support.'),
      detail = hidden.api_response('SUSPD');
  elsif not r.member and not hidden.realtime_can_read(p_topic) then
    raise exception 'You cannot read this topic.' using errcode = '42501', hint = 'Join the session first.';
  elsif r.last_seq is null and p_member_of is not null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such session.', 'Check the session id.'),
      detail = hidden.api_response('P0002');
  end if;
  -- Built with json_build_object over the stored json: nothing is parsed again on the way out.
  return json_build_object(
    'events', case
      when r.n > 0 and r.first_seq = v_after + 1 and coalesce(r.last_seq - v_after <= p_catchup_max, true) then r.events
      else '[]'::json end,
    'last_seq', greatest(coalesce(r.last_seq, 0), coalesce(r.last_entry, 0)),
    'has_more', (r.n > 0 and r.first_seq = v_after + 1 and r.last_entry < r.last_seq
      and coalesce(r.last_seq - v_after <= p_catchup_max, true)),
    'resync_needed', (
      v_after > coalesce(r.last_seq, 0)  -- ahead of the log
      or (coalesce(r.last_seq, 0) > v_after and (r.n = 0 or r.first_seq <> v_after + 1))  -- the gap was pruned
      or coalesce(r.last_seq - v_after > p_catchup_max, false)  -- a poller far behind: a snapshot is cheaper
    ),
    'mode', coalesce(r.delivery, 'push'),
    'poll_ms', coalesce(r.poll_ms, 0),
    'me', coalesce(r.me, 0));
end
$$;

-- From 20261202080200_realtime-snapshot-cache.sql.
create or replace function hidden.room_state(p_session_id uuid) returns private.room_snapshots
language plpgsql volatile security definer
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
  v_uid uuid := hidden.require_user();
  v_last bigint;
  v_snap private.room_snapshots;
begin
  -- Seeing a room: its members at once (a probe), anyone else checked in full.
  perform 1 from public.session_members as m
  where m.session_id = p_session_id and m.user_id = v_uid and m.left_at is null;
  if not found and not hidden.realtime_can_read('session:' || p_session_id) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such session (or you cannot see it).', 'Check the session id.'),
      detail = hidden.api_response('P0002');
  end if;
  select * into v_snap from private.room_snapshots as r where r.session_id = p_session_id;
  if v_snap.session_id is not null and v_snap.built_at >= clock_timestamp() - interval '1 second' then
    return v_snap;
  end if;
  select t.last_seq into v_last from private.realtime_topics as t where t.topic = 'session:' || p_session_id;
  if v_snap.session_id is not null and v_snap.seq >= v_last then
    return v_snap;  -- nothing happened since: still exact
  elsif pg_try_advisory_xact_lock(hashtextextended('snapshot:' || p_session_id, 0)) then
    insert into private.room_snapshots as r
    select (private.room_snapshot_now(p_session_id)).*
    on conflict (session_id) do update
      set seq = excluded.seq, session = excluded.session, now_playing = excluded.now_playing,
        queue = excluded.queue, listeners = excluded.listeners, chat = excluded.chat, built_at = excluded.built_at
    returning * into v_snap;
  elsif v_snap.session_id is null then
    v_snap := private.room_snapshot_now(p_session_id);  -- someone else builds the first copy: ours, unstored
  end if;
  return v_snap;
end
$$;
