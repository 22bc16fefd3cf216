/*
 * foundation-rpcs-keep-their-plans: the RPCs on a listener's path, as PL/pgSQL.
 *
 * Most public RPCs are one-line SQL wrappers over a hidden definer. A SQL function that pins its
 * search_path is not inlined, so PostgreSQL parses and plans the wrapper again on every request
 * (about 0.05 ms each, measured in `make bench --suite reads`); a PL/pgSQL wrapper keeps its plan.
 * These are the calls a listener makes at a crowd's rate (vote, request, skip, leave, withdraw,
 * chat history, and the delivery-lanes change's join, heartbeat, announce, react and chat_since;
 * the poll is PL/pgSQL where it is defined); the rest stay as they are. Same signatures, results and errors; comments and grants
 * are kept (create or replace).
 *
 * request_track also loses its exception block: every request paid for a subtransaction so that a
 * check violation could be renamed 22023 (with the constraint's name in the message). Its input is
 * now checked up front (private.track_details_problem), with a message naming the field. The
 * queue's rerank helpers, run by every request and status change, keep their plans too.
 */

-- RPCs -----------------------------------------------------------------------------------------

create or replace function public.leave_session(p_session_id uuid) returns boolean
language plpgsql volatile
set search_path = ''
as $$
begin
  return hidden.leave_session(p_session_id, hidden.require_user());
end
$$;

create or replace function public.cast_vote(p_item_id uuid, p_value integer default 1) returns public.queue_items
language plpgsql volatile
set search_path = ''
as $$
begin
  return hidden.cast_vote(p_item_id, p_value);
end
$$;

create or replace function public.request_track(
  p_session_id uuid, p_provider public.track_provider, p_provider_track_id text, p_title text, p_artist text,
  p_duration_ms integer, p_artwork_url text default null, p_explicit boolean default false
) returns public.request_result
language plpgsql volatile
set search_path = ''
as $$
begin
  return hidden.request_track(p_session_id, p_provider, p_provider_track_id, p_title, p_artist, p_duration_ms,
    p_artwork_url, p_explicit);
end
$$;

create or replace function public.withdraw_request(p_item_id uuid) returns public.queue_items
language plpgsql volatile
set search_path = ''
as $$
begin
  return hidden.withdraw_request(p_item_id);
end
$$;

create or replace function public.vote_skip(p_session_id uuid) returns public.skip_status
language plpgsql volatile
set search_path = ''
as $$
begin
  return hidden.vote_skip(p_session_id);
end
$$;

create or replace function public.chat_history(
  p_session_id uuid, p_before_created_at timestamptz default null, p_before_id uuid default null,
  p_limit integer default 50
) returns setof public.chat_messages
language plpgsql stable
set search_path = ''
as $$
begin
  return query
  select c.* from public.chat_messages as c
  where c.session_id = p_session_id
    and (p_before_created_at is null or (c.created_at, c.id) < (p_before_created_at, coalesce(p_before_id, 'ffffffff-ffff-ffff-ffff-ffffffffffff')))
  order by c.created_at desc, c.id desc
  limit least(greatest(coalesce(p_limit, 50), 1), 200);
end
$$;

-- the calls of the delivery-lanes change (20261202070000 ... 070500), written as SQL there ------

create or replace function public.join_session(p_session_id uuid, p_invite_code text default null)
returns public.membership
language plpgsql volatile
set search_path = ''
as $$
begin
  return hidden.join_session(p_session_id, p_invite_code, true);
end
$$;

create or replace function public.heartbeat(p_session_id uuid, p_foreground boolean default null)
returns public.membership
language plpgsql volatile
set search_path = ''
as $$
begin
  return hidden.heartbeat(p_session_id, p_foreground);
end
$$;

create or replace function public.announce(p_session_id uuid, p_body text) returns public.dj_sessions
language plpgsql volatile
set search_path = ''
as $$
begin
  return hidden.announce(p_session_id, p_body);
end
$$;

create or replace function public.react(p_session_id uuid, p_emoji text) returns boolean
language plpgsql volatile
set search_path = ''
as $$
begin
  return hidden.react(p_session_id, p_emoji);
end
$$;

create or replace function public.chat_since(
  p_session_id uuid, p_after_created_at timestamptz, p_after_id uuid default null, p_limit integer default 100
) returns setof public.chat_messages
language plpgsql stable
set search_path = ''
as $$
begin
  return query
  select c.* from public.chat_messages as c
  where c.session_id = p_session_id
    and (c.created_at, c.id) > (p_after_created_at, coalesce(p_after_id, '00000000-0000-0000-0000-000000000000'))
  order by c.created_at, c.id
  limit least(greatest(coalesce(p_limit, 100), 1), 200);
end
$$;

-- request_track validates its input up front ----------------------------------------------------

create function private.track_details_problem(
  p_provider_track_id text, p_title text, p_artist text, p_duration_ms integer, p_artwork_url text
) returns text
language plpgsql immutable
set search_path = ''
as $$
begin
  -- The same rules as public.tracks' check constraints, named for the app.
  return case
    when p_provider_track_id is null or char_length(btrim(p_provider_track_id)) not between 1 and 200
      then 'the provider track id must be 1-200 characters'
    when p_title is null or char_length(btrim(p_title)) not between 1 and 200 then 'the title must be 1-200 characters'
    when p_artist is null or char_length(btrim(p_artist)) not between 1 and 200 then 'the artist must be 1-200 characters'
    when p_duration_ms is null or p_duration_ms not between 1000 and 10800000 then 'the duration must be 1 s to 3 h'
    when p_artwork_url is not null and (p_artwork_url !~ '^https://' or char_length(p_artwork_url) > 2048)
      then 'the artwork must be an https URL of at most 2048 characters'
  end;
end
$$;
comment on function private.track_details_problem(text, text, text, integer, text) is
  'What is wrong with a requested track''s details (null when nothing): public.tracks'' check constraints, '
  'named for the app, checked before anything is written.';

-- A PL/pgSQL body without an exception block: no subtransaction per request, and the message names
-- the field instead of repeating a constraint name.
create or replace function hidden.request_track(
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
  v_problem text;
begin
  v_problem := private.track_details_problem(p_provider_track_id, p_title, p_artist, p_duration_ms, p_artwork_url);
  if v_problem is not null then
    raise exception 'Invalid track details: %.', v_problem
      using errcode = '22023', hint = 'Title and artist 1-200 chars, duration 1 s-3 h, https artwork.';
  end if;
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
end
$$;

-- the queue's maintenance helpers keep their plans --------------------------------------------------

create or replace function private.rerank_requester(p_session_id uuid, p_requester uuid) returns void
language plpgsql
set search_path = ''
as $$
begin
  -- A requester's queued items get rounds turns + 0, 1, 2... in request order.
  with turns as (
    select count(*)::integer as n from public.queue_items as q
    where q.session_id = p_session_id and q.requested_by = p_requester and q.status in ('playing', 'played', 'skipped')
  ), ordered as (
    select q.id, (row_number() over (order by q.requested_at, q.id))::integer - 1 as position
    from public.queue_items as q
    where q.session_id = p_session_id and q.requested_by = p_requester and q.status = 'queued'
  )
  update public.queue_items as q
  set fair_round = turns.n + ordered.position,
    rank_key = public.queue_rank_key_v1(s.queue_policy, q.pin_order, q.upvotes - q.downvotes, q.boost,
      (select (c.value)::integer from private.settings as c where c.key = 'tip_boost_cap'), turns.n + ordered.position,
      q.requested_at)
  from ordered, turns, public.dj_sessions as s
  where q.id = ordered.id and s.id = q.session_id and q.fair_round is distinct from turns.n + ordered.position;
end
$$;

create or replace function private.rerank_session(p_session_id uuid) returns void
language plpgsql
set search_path = ''
as $$
begin
  update public.queue_items as q
  set rank_key = public.queue_rank_key_v1(s.queue_policy, q.pin_order, q.upvotes - q.downvotes, q.boost,
    (select (c.value)::integer from private.settings as c where c.key = 'tip_boost_cap'), q.fair_round, q.requested_at)
  from public.dj_sessions as s
  where s.id = q.session_id and q.session_id = p_session_id and q.status = 'queued';
end
$$;
