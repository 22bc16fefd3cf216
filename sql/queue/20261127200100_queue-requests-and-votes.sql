/*
 * queue-requests-and-votes: what listeners do to the queue, and how they read it.
 *
 * Requests and votes touch rows the caller may not write (counts, ranks, the catalogue), so they
 * run in definer implementations in `hidden` behind thin public RPCs. Each serialises the
 * caller's own writes with a transaction-level advisory lock, which is what keeps request quotas
 * and vote counts exact when one user fires from several tabs or connections at once.
 */

-- who may act on a queue -----------------------------------------------------------------------

create function private.require_queue_listener(p_session public.dj_sessions, p_uid uuid) returns boolean
language plpgsql stable
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
  v_team boolean;
begin
  if p_session.id is null then
    raise exception 'No such session.' using errcode = 'P0002', hint = 'Check the session id.';
  elsif p_session.status = 'ended' then
    raise exception 'This session has ended.' using errcode = 'ENDED', hint = 'The queue is closed.';
  end if;
  if hidden.is_anonymous(p_uid) and not coalesce((hidden.setting('anonymous_may_request'))::boolean, false) then
    raise exception 'Guests cannot request or vote here.'
      using errcode = 'ANONY', hint = 'Sign in with a phone number, Apple or Google first.';
  end if;
  v_team := p_uid = p_session.dj_id
    or exists (select 1 from public.dj_moderators as d where d.dj_id = p_session.dj_id and d.user_id = p_uid)
    or exists (
      select 1 from public.session_members as m
      where m.session_id = p_session.id and m.user_id = p_uid and m.role = 'cohost' and m.left_at is null
    );
  if v_team then
    return true;
  end if;
  if exists (
    select 1 from public.dj_bans as b
    where b.dj_id = p_session.dj_id and b.user_id = p_uid and b.revoked_at is null
      and (b.expires_at is null or b.expires_at > now())
  ) then
    raise exception 'You are banned or timed out in this DJ''s sessions.'
      using errcode = 'BANND', hint = 'You can request and vote again when it is lifted.';
  end if;
  if not exists (
    select 1 from public.session_members as m
    where m.session_id = p_session.id and m.user_id = p_uid and m.left_at is null
  ) then
    raise exception 'Join the session first.' using errcode = 'NOTIN', hint = 'Call join_session.';
  end if;
  if p_session.queue_locked then
    raise exception 'The DJ locked the queue.' using errcode = 'QLOCK', hint = 'Wait for the DJ to unlock it.';
  end if;
  return false;
end
$$;
comment on function private.require_queue_listener(public.dj_sessions, uuid) is
  'Check the caller may act on this session''s queue (raises the reason otherwise); returns whether they are the DJ''s team.';

-- votes ----------------------------------------------------------------------------------------

create function hidden.cast_vote(p_item_id uuid, p_value integer) returns public.queue_items
language plpgsql volatile security definer
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
  v_uid uuid := hidden.require_user();
  v_item public.queue_items;
  v_session public.dj_sessions;
  v_old smallint;
  v_up integer;
  v_down integer;
begin
  -- Votes are ephemeral signals: commit without waiting for the WAL flush (as chat; decisions.md).
  perform set_config('synchronous_commit', 'off', true);
  if p_value not in (-1, 0, 1) then
    raise exception 'A vote is 1, -1, or 0 to withdraw it.' using errcode = '22023', hint = 'Send p_value 1, -1 or 0.';
  end if;
  perform pg_advisory_xact_lock(hashtextextended('vote:' || v_uid, 0));
  select * into v_item from public.queue_items as q where q.id = p_item_id;
  select * into v_session from public.dj_sessions as s where s.id = v_item.session_id;
  if v_item.id is null then
    raise exception 'No such queue item.' using errcode = 'P0002', hint = 'Check the item id.';
  end if;
  perform private.require_queue_listener(v_session, v_uid);
  if v_item.status not in ('queued', 'playing') then
    raise exception 'Voting on this request is over.' using errcode = 'STATE', hint = 'Vote on queued or playing tracks.';
  end if;
  select v.value into v_old from public.queue_votes as v where v.item_id = p_item_id and v.user_id = v_uid;
  if coalesce(v_old, 0) = p_value then
    return v_item;  -- unchanged (a retry): nothing to write
  end if;
  if p_value = 0 then
    delete from public.queue_votes as v where v.item_id = p_item_id and v.user_id = v_uid;
  else
    insert into public.queue_votes (item_id, user_id, session_id, value) values (p_item_id, v_uid, v_item.session_id, p_value)
    on conflict (item_id, user_id) do update set value = excluded.value, voted_at = now();
  end if;
  v_up := (case when p_value = 1 then 1 else 0 end) - (case when v_old = 1 then 1 else 0 end);
  v_down := (case when p_value = -1 then 1 else 0 end) - (case when v_old = -1 then 1 else 0 end);
  update public.queue_items as q
  set upvotes = q.upvotes + v_up, downvotes = q.downvotes + v_down,
    rank_key = case when q.status = 'queued' then public.queue_rank_key_v1(v_session.queue_policy, q.pin_order,
      q.upvotes + v_up - q.downvotes - v_down, q.boost,
      (select (c.value)::integer from private.settings as c where c.key = 'tip_boost_cap'), q.fair_round, q.requested_at)
      else q.rank_key end
  where q.id = p_item_id
  returning * into v_item;
  return v_item;
end
$$;
comment on function hidden.cast_vote(uuid, integer) is 'Implementation of public.cast_vote.';
grant execute on function hidden.cast_vote(uuid, integer) to authenticated;

create function public.cast_vote(p_item_id uuid, p_value integer default 1) returns public.queue_items
language sql volatile
set search_path = ''
as $$ select hidden.cast_vote(p_item_id, p_value) $$;
comment on function public.cast_vote(uuid, integer) is
  E'Vote on a queued (or the playing) track: 1 up, -1 down, 0 to withdraw. One vote per listener per item; '
  'changing it replaces it; repeating it changes nothing. Returns the item with its exact counts.\n'
  'Errors: LOGIN; ANONY; P0002 no such item; ENDED; BANND banned/timed out; NOTIN join first; QLOCK locked; '
  'STATE voting over; 22023 bad value.\n'
  'Example: await supabase.rpc(''cast_vote'', { p_item_id: itemId, p_value: 1 })';
grant execute on function public.cast_vote(uuid, integer) to authenticated;

-- requests -------------------------------------------------------------------------------------

create type public.request_result as (item public.queue_items, track public.tracks, was_already_queued boolean);
comment on type public.request_result is 'What request_track returns: the item, its track, and whether it was a vote for an existing request.';

create function hidden.request_track(
  p_session_id uuid, p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text,
  p_duration_ms integer, p_artwork_url text, p_explicit boolean
) returns public.request_result
language plpgsql volatile security definer
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
  v_uid uuid := hidden.require_user();
  v_session public.dj_sessions;
  v_team boolean;
  v_track public.tracks;
  v_item public.queue_items;
  v_limit integer;
  v_open integer;
begin
  perform pg_advisory_xact_lock(hashtextextended('request:' || v_uid, 0));
  select * into v_session from public.dj_sessions as s where s.id = p_session_id;
  v_team := private.require_queue_listener(v_session, v_uid);
  if not v_session.requests_open and not v_team then
    raise exception 'Requests are closed in this session.' using errcode = 'REQCL', hint = 'Vote on the queue instead.';
  end if;
  insert into public.tracks (provider, provider_track_id, title, artist, duration_ms, artwork_url, explicit)
  values (p_provider, btrim(p_provider_track_id), btrim(p_title), btrim(p_artist), p_duration_ms, p_artwork_url,
    coalesce(p_explicit, false))
  on conflict (provider, provider_track_id) do nothing;
  select * into v_track from public.tracks as t where t.provider = p_provider and t.provider_track_id = btrim(p_provider_track_id);
  if v_track.explicit and not v_session.allow_explicit then
    raise exception 'This session does not take explicit tracks.' using errcode = 'NOEXP', hint = 'Pick a clean version.';
  end if;
  if v_session.max_track_seconds is not null and v_track.duration_ms > v_session.max_track_seconds * 1000 then
    raise exception 'This track is longer than the session allows (% s).', v_session.max_track_seconds
      using errcode = 'TOLNG', hint = 'Pick a shorter track.';
  end if;
  select * into v_item from public.queue_items as q
  where q.session_id = p_session_id and q.track_id = v_track.id and q.status in ('queued', 'playing');
  if v_item.id is not null then  -- already queued: the request becomes a vote for it
    perform hidden.cast_vote(v_item.id, 1);
    select * into v_item from public.queue_items as q where q.id = v_item.id;
    return (v_item, v_track, true)::public.request_result;
  end if;
  if exists (
    select 1 from public.queue_items as q
    where q.session_id = p_session_id and q.track_id = v_track.id and q.status = 'rejected'
  ) and not v_team then
    raise exception 'The DJ turned this track down tonight.' using errcode = 'REJTD', hint = 'Request something else.';
  end if;
  if not v_team then
    v_limit := greatest(v_session.request_limit, case
      when hidden.has_entitlement(v_uid, hidden.setting('subscriber_entitlement') #>> '{}')
        then (hidden.setting('subscriber_request_limit'))::integer else 0 end);
    select count(*) into v_open from public.queue_items as q
    where q.session_id = p_session_id and q.requested_by = v_uid and q.status = 'queued';
    if v_open >= v_limit then
      raise exception 'You have % requests waiting (the limit here is %).', v_open, v_limit
        using errcode = 'QUOTA', detail = json_build_object('limit', v_limit, 'open', v_open)::text,
          hint = 'Wait until one plays, or withdraw one.';
    end if;
  end if;
  insert into public.queue_items (session_id, track_id, requested_by, upvotes, rank_key)
  values (p_session_id, v_track.id, v_uid, 1, '{}')
  returning * into v_item;
  insert into public.queue_votes (item_id, user_id, session_id, value) values (v_item.id, v_uid, p_session_id, 1);
  perform private.rerank_requester(p_session_id, v_uid);
  update public.queue_items as q
  set rank_key = public.queue_rank_key_v1(v_session.queue_policy, q.pin_order, q.upvotes - q.downvotes, q.boost,
    (select (c.value)::integer from private.settings as c where c.key = 'tip_boost_cap'), q.fair_round, q.requested_at)
  where q.id = v_item.id
  returning * into v_item;
  return (v_item, v_track, false)::public.request_result;
exception
  when check_violation then
    raise exception 'Invalid track details: %.', sqlerrm
      using errcode = '22023', hint = 'Title and artist 1-200 chars, duration 1 s-3 h, https artwork.';
end
$$;
comment on function hidden.request_track(uuid, public.track_provider, text, text, text, integer, text, boolean) is
  'Implementation of public.request_track.';
grant execute on function hidden.request_track(uuid, public.track_provider, text, text, text, integer, text, boolean)
  to authenticated;

create function public.request_track(
  p_session_id uuid, p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text,
  p_duration_ms integer, p_artwork_url text default null, p_explicit boolean default false
) returns public.request_result
language sql volatile
set search_path = ''
as $$
  select hidden.request_track(p_session_id, p_provider, p_provider_track_id, p_title, p_artist, p_duration_ms,
    p_artwork_url, p_explicit)
$$;
comment on function public.request_track(uuid, public.track_provider, text, text, text, integer, text, boolean) is
  E'Request a track (identified by provider and provider id; the first request''s metadata is kept). If it is '
  'already queued or playing, this becomes your up vote for it (no duplicate). Your request counts as your up '
  'vote. Limits: open requests per listener (higher for subscribers), explicit and length rules of the session.\n'
  'Errors: LOGIN; ANONY; P0002; ENDED; BANND; NOTIN; QLOCK; REQCL requests closed; NOEXP explicit; TOLNG too long; '
  'REJTD rejected tonight; QUOTA too many open requests (details.limit); 22023 bad details.\n'
  'Example: await supabase.rpc(''request_track'', { p_session_id: id, p_provider: ''spotify'', p_provider_track_id: ''4uLU6hMCjMI75M1A2tKUQC'', p_title: ''Never Gonna Give You Up'', p_artist: ''Rick Astley'', p_duration_ms: 213000 })';
grant execute on function public.request_track(uuid, public.track_provider, text, text, text, integer, text, boolean)
  to authenticated;

create function hidden.withdraw_request(p_item_id uuid) returns public.queue_items
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_item public.queue_items;
  v_session public.dj_sessions;
begin
  select * into v_item from public.queue_items as q where q.id = p_item_id;
  if v_item.id is null or v_item.requested_by is distinct from v_uid then
    raise exception 'No such request of yours.' using errcode = 'P0002', hint = 'You can withdraw only your own requests.';
  end if;
  select * into v_session from public.dj_sessions as s where s.id = v_item.session_id;
  if v_session.queue_locked and v_uid <> v_session.dj_id then
    raise exception 'The DJ locked the queue.' using errcode = 'QLOCK', hint = 'Wait for the DJ to unlock it.';
  end if;
  if v_item.status = 'withdrawn' then
    return v_item;
  elsif v_item.status <> 'queued' then
    raise exception 'This request is no longer waiting.' using errcode = 'STATE', hint = 'Only queued requests can be withdrawn.';
  end if;
  update public.queue_items as q set status = 'withdrawn', ended_at = now() where q.id = p_item_id returning * into v_item;
  return v_item;
end
$$;
comment on function hidden.withdraw_request(uuid) is 'Implementation of public.withdraw_request.';
grant execute on function hidden.withdraw_request(uuid) to authenticated;

create function public.withdraw_request(p_item_id uuid) returns public.queue_items
language sql volatile
set search_path = ''
as $$ select hidden.withdraw_request(p_item_id) $$;
comment on function public.withdraw_request(uuid) is
  E'Take back your own queued request (idempotent). Your later requests move up a turn.\n'
  'Errors: LOGIN; P0002 not your request; QLOCK; STATE already playing or done.\n'
  'Example: await supabase.rpc(''withdraw_request'', { p_item_id: itemId })';
grant execute on function public.withdraw_request(uuid) to authenticated;

-- reading the queue ----------------------------------------------------------------------------

create type public.queue_entry as (
  position integer,
  item_id uuid,
  status public.queue_status,
  track_id uuid,
  title text,
  artist text,
  duration_ms integer,
  artwork_url text,
  explicit boolean,
  requested_by uuid,
  requester_handle text,
  upvotes integer,
  downvotes integer,
  pinned boolean,
  fair_round integer,
  rank_key bigint [],
  requested_at timestamptz
);
comment on type public.queue_entry is 'One row of queue_top(): a queued track with its position and why.';

create function public.queue_top(p_session_id uuid, p_limit integer default 50) returns json
language plpgsql stable
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
  v_top json;
begin
  -- One statement builds the JSON array the app receives (rows shaped as public.queue_entry), with
  -- a generic plan cached per connection: re-planning it per call cost more than running it.
  -- LATERAL index lookups: never a hash join over whole tables for 50 rows.
  select coalesce(json_agg(e order by e.position), '[]') into v_top
  from (
    select q.position, q.id as item_id, q.status, t.id as track_id, t.title, t.artist, t.duration_ms, t.artwork_url,
      t.explicit, q.requested_by, p.handle as requester_handle, q.upvotes, q.downvotes,
      q.pin_order is not null as pinned, q.fair_round, q.rank_key, q.requested_at
    from (
      select qi.*, (row_number() over (order by qi.rank_key, qi.id))::integer as position
      from public.queue_items as qi
      where qi.session_id = p_session_id and qi.status = 'queued'
      order by qi.rank_key, qi.id
      limit least(greatest(coalesce(p_limit, 50), 1), 200)
    ) as q
    cross join lateral (select tr.* from public.tracks as tr where tr.id = q.track_id) as t
    left join lateral (select pr.handle from public.profiles as pr where pr.id = q.requested_by) as p on true
  ) as e;
  return v_top;
end
$$;
comment on function public.queue_top(uuid, integer) is
  E'The next tracks in order as a JSON array of queue_entry objects (position 1 plays next), read from the rank '
  'index (no sort of the whole queue).\n'
  'Example: const { data } = await supabase.rpc(''queue_top'', { p_session_id: id, p_limit: 50 })';
grant execute on function public.queue_top(uuid, integer) to authenticated;

create function public.explain_rank(p_item_id uuid) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'item_id', q.id,
    'status', q.status,
    'position', case when q.status = 'queued' then 1 + (
      select count(*) from public.queue_items as o
      where o.session_id = q.session_id and o.status = 'queued' and (o.rank_key, o.id) < (q.rank_key, q.id)
    ) end,
    'policy', s.queue_policy,
    'ranking_version', 1,
    'pinned', q.pin_order is not null,
    'pin_order', q.pin_order,
    'score', q.upvotes - q.downvotes,
    'upvotes', q.upvotes,
    'downvotes', q.downvotes,
    'boost', least(q.boost, (hidden.setting('tip_boost_cap'))::integer),
    'boost_cap', (hidden.setting('tip_boost_cap'))::integer,
    'fair_round', q.fair_round,
    'requester_turns_taken', (
      select count(*) from public.queue_items as o
      where o.session_id = q.session_id and o.requested_by = q.requested_by and o.status in ('playing', 'played', 'skipped')
    ),
    'requester_request_number', (
      select count(*) from public.queue_items as o
      where o.session_id = q.session_id and o.requested_by = q.requested_by and (o.requested_at, o.id) <= (q.requested_at, q.id)
    ),
    'requested_at', q.requested_at,
    'rank_key', q.rank_key
  )
  from public.queue_items as q
  join public.dj_sessions as s on s.id = q.session_id
  where q.id = p_item_id
$$;
comment on function public.explain_rank(uuid) is
  E'Why an item is where it is, in data the app can render ("3rd: +12 votes, your 2nd request"): position, '
  'policy, pinned, score and votes, capped boost, fair round, the requester''s turns taken and request number, '
  'and the rank key. NULL if you cannot see the item.\n'
  'Example: const { data: why } = await supabase.rpc(''explain_rank'', { p_item_id: itemId })';
grant execute on function public.explain_rank(uuid) to authenticated;
