/*
 * queue-errors-with-statuses: this domain's errors reach the app with the HTTP status they mean
 * (issue 19 §1).
 *
 * Every raise of a code whose status is not 400 (docs/error-codes.md, HTTP column) becomes a
 * PGRST raise built by hidden.api_error / hidden.api_response
 * (20261203172346_foundation-api-statuses.sql says why: PostgREST answers P0002 with 500 and
 * our own codes with 400). Nothing else changes: each function is restated from its newest
 * definition (named above it), with the same code, message, hint and details.
 * Restated: hidden.cast_vote, hidden.control_queue, hidden.request_track, hidden.vote_skip,
 * hidden.withdraw_request, private.require_queue_listener, private.require_queue_team.
 */

-- From 20261127200100_queue-requests-and-votes.sql.
create or replace function private.require_queue_listener(p_session public.dj_sessions, p_uid uuid) returns boolean
language plpgsql stable
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
  v_team boolean;
begin
  if p_session.id is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such session.', 'Check the session id.'),
      detail = hidden.api_response('P0002');
  elsif p_session.status = 'ended' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('ENDED', 'This session has ended.', 'The queue is closed.'),
      detail = hidden.api_response('ENDED');
  end if;
  if hidden.is_anonymous(p_uid) and not coalesce((hidden.setting('anonymous_may_request'))::boolean, false) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'ANONY',
        'Guests cannot request or vote here.',
        'Sign in with a phone number, Apple or Google first.'
      ),
      detail = hidden.api_response('ANONY');
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
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'BANND',
        'You are banned or timed out in this DJ''s sessions.',
        'You can request and vote again when it is lifted.'
      ),
      detail = hidden.api_response('BANND');
  end if;
  if not exists (
    select 1 from public.session_members as m
    where m.session_id = p_session.id and m.user_id = p_uid and m.left_at is null
  ) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('NOTIN', 'Join the session first.', 'Call join_session.'),
      detail = hidden.api_response('NOTIN');
  end if;
  if p_session.queue_locked then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('QLOCK', 'The DJ locked the queue.', 'Wait for the DJ to unlock it.'),
      detail = hidden.api_response('QLOCK');
  end if;
  return false;
end
$$;

-- From 20261127200100_queue-requests-and-votes.sql.
create or replace function hidden.cast_vote(p_item_id uuid, p_value integer) returns public.queue_items
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
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such queue item.', 'Check the item id.'),
      detail = hidden.api_response('P0002');
  end if;
  perform private.require_queue_listener(v_session, v_uid);
  if v_item.status not in ('queued', 'playing') then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('STATE', 'Voting on this request is over.', 'Vote on queued or playing tracks.'),
      detail = hidden.api_response('STATE');
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

-- From 20261203124756_queue-catalogue-verified-by-provider.sql.
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
  v_id text := btrim(p_provider_track_id);
begin
  v_problem := private.track_details_problem(p_provider, p_provider_track_id, p_title, p_artist, p_duration_ms,
    p_artwork_url);
  if v_problem is not null then
    raise exception 'Invalid track details: %.', v_problem
      using errcode = '22023',
        hint = 'Title and artist 1-200 chars, duration 1 s-3 h, artwork from the provider''s image host.';
  end if;
  perform pg_advisory_xact_lock(hashtextextended('request:' || v_uid, 0));
  select * into v_session from public.dj_sessions as s where s.id = p_session_id;
  v_team := private.require_queue_listener(v_session, v_uid);
  if not v_session.requests_open and not v_team then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('REQCL', 'Requests are closed in this session.', 'Vote on the queue instead.'),
      detail = hidden.api_response('REQCL');
  end if;
  select * into v_track from public.tracks as t
  where t.provider = p_provider and t.provider_track_id = v_id and t.requested_in is null and t.verified_at is not null;
  if v_track.id is null then
    insert into public.tracks (provider, provider_track_id, title, artist, duration_ms, artwork_url, explicit,
      requested_in)
    values (p_provider, v_id, btrim(p_title), btrim(p_artist), p_duration_ms, p_artwork_url,
      coalesce(p_explicit, false), p_session_id)
    on conflict (provider, provider_track_id, requested_in) where requested_in is not null do nothing;
    select * into v_track from public.tracks as t
    where t.provider = p_provider and t.provider_track_id = v_id and t.requested_in = p_session_id;
  end if;
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
    raise sqlstate 'PGRST' using
      message = hidden.api_error('REJTD', 'The DJ turned this track down tonight.', 'Request something else.'),
      detail = hidden.api_response('REJTD');
  end if;
  if not v_team then
    v_limit := greatest(v_session.request_limit, case
      when hidden.has_entitlement(v_uid, hidden.setting('subscriber_entitlement') #>> '{}')
        then (hidden.setting('subscriber_request_limit'))::integer else 0 end);
    select count(*) into v_open from public.queue_items as q
    where q.session_id = p_session_id and q.requested_by = v_uid and q.status = 'queued';
    if v_open >= v_limit then
      raise sqlstate 'PGRST' using
        message = hidden.api_error(
          'QUOTA',
          format('You have %s requests waiting (the limit here is %s).', v_open, v_limit),
          'Wait until one plays, or withdraw one.',
          json_build_object('limit', v_limit, 'open', v_open)::text
        ),
        detail = hidden.api_response('QUOTA');
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

-- From 20261127200100_queue-requests-and-votes.sql.
create or replace function hidden.withdraw_request(p_item_id uuid) returns public.queue_items
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
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such request of yours.', 'You can withdraw only your own requests.'),
      detail = hidden.api_response('P0002');
  end if;
  select * into v_session from public.dj_sessions as s where s.id = v_item.session_id;
  if v_session.queue_locked and v_uid <> v_session.dj_id then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('QLOCK', 'The DJ locked the queue.', 'Wait for the DJ to unlock it.'),
      detail = hidden.api_response('QLOCK');
  end if;
  if v_item.status = 'withdrawn' then
    return v_item;
  elsif v_item.status <> 'queued' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'STATE',
        'This request is no longer waiting.',
        'Only queued requests can be withdrawn.'
      ),
      detail = hidden.api_response('STATE');
  end if;
  update public.queue_items as q set status = 'withdrawn', ended_at = now() where q.id = p_item_id returning * into v_item;
  return v_item;
end
$$;

-- From 20261127200200_queue-controls.sql.
create or replace function private.require_queue_team(p_session_id uuid) returns public.dj_sessions
language plpgsql stable
set search_path = ''
as $$
declare
  v_session public.dj_sessions;
begin
  perform hidden.require_user();
  select * into v_session from public.dj_sessions as s where s.id = p_session_id;
  if v_session.id is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such session.', 'Check the session id.'),
      detail = hidden.api_response('P0002');
  elsif not hidden.can_moderate_session(p_session_id) then
    raise exception 'Only the DJ and their team run the queue.' using errcode = '42501', hint = 'Vote or request instead.';
  elsif v_session.status = 'ended' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('ENDED', 'This session has ended.', 'The queue is closed.'),
      detail = hidden.api_response('ENDED');
  end if;
  return v_session;
end
$$;

-- From 20261127200200_queue-controls.sql.
create or replace function hidden.vote_skip(p_session_id uuid) returns public.skip_status
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_session public.dj_sessions;
  v_item public.queue_items;
  v_needed integer;
begin
  select * into v_session from public.dj_sessions as s where s.id = p_session_id;
  perform private.require_queue_listener(v_session, v_uid);
  select * into v_item from public.queue_items as q where q.session_id = p_session_id and q.status = 'playing' for update;
  if v_item.id is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('IDLEQ', 'Nothing is playing.', 'Vote when a track is playing.'),
      detail = hidden.api_response('IDLEQ');
  end if;
  v_needed := public.queue_skip_threshold(v_session.skip_mode, v_session.skip_percent, v_session.skip_log_factor,
    v_session.listener_count);
  if v_needed is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('STATE', 'Vote-to-skip is off in this session.', 'The DJ can turn it on.'),
      detail = hidden.api_response('STATE');
  end if;
  insert into public.skip_votes (item_id, user_id) values (v_item.id, v_uid) on conflict do nothing;
  if found then
    update public.queue_items as q set skip_votes = q.skip_votes + 1 where q.id = v_item.id returning * into v_item;
  end if;
  if v_item.skip_votes >= v_needed then
    perform private.finish_playing(p_session_id, 'skipped',
      format('skipped by the room (%s of %s votes)', v_item.skip_votes, v_needed));
    return (v_item.id, v_item.skip_votes, v_needed, true)::public.skip_status;
  end if;
  return (v_item.id, v_item.skip_votes, v_needed, false)::public.skip_status;
end
$$;

-- From 20261203130942_queue-idempotent-controls.sql.
create or replace function hidden.control_queue(
  p_session_id uuid, p_action public.queue_action, p_item_id uuid, p_position integer, p_reason text,
  p_expected_item_id uuid
) returns public.queue_items
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_session public.dj_sessions := private.require_queue_team(p_session_id);
  v_item public.queue_items;
  v_pinned uuid[];
  v_playing uuid;
begin
  if p_action is null then
    raise exception 'p_action is required.' using errcode = '22023', hint = 'Pass one of the queue_action values.';
  end if;
  if p_expected_item_id is not null then
    if p_action not in ('play', 'advance', 'finish', 'skip') then
      raise exception 'p_expected_item_id applies only to play, advance, finish and skip.'
        using errcode = '22023', hint = 'Leave p_expected_item_id out for this action.';
    end if;
    -- Lock what plays now: a concurrent control of the same track waits here, and then finds it
    -- no longer playing (READ COMMITTED re-checks the locked row).
    select q.id into v_playing from public.queue_items as q
    where q.session_id = p_session_id and q.status = 'playing'
    for update;
    if v_playing is distinct from p_expected_item_id then
      -- Someone already moved on (or this request already ran): change nothing, answer the state.
      select * into v_item from public.queue_items as q where q.session_id = p_session_id and q.status = 'playing';
      return v_item;
    end if;
  end if;
  if p_action in ('play', 'play_next', 'pin', 'unpin', 'move', 'reject') then
    select * into v_item from public.queue_items as q where q.id = p_item_id and q.session_id = p_session_id;
    if v_item.id is null then
      raise sqlstate 'PGRST' using
        message = hidden.api_error('P0002', 'No such request in this session.', 'Check the item id.'),
        detail = hidden.api_response('P0002');
    elsif v_item.status <> 'queued' then
      raise sqlstate 'PGRST' using
        message = hidden.api_error('STATE', 'That request is not waiting in the queue.', 'Refresh the queue.'),
        detail = hidden.api_response('STATE');
    end if;
  end if;
  if p_action = 'advance' then  -- play the top of the queue
    select * into v_item from public.queue_items as q
    where q.session_id = p_session_id and q.status = 'queued' order by q.rank_key, q.id limit 1;
  end if;
  case p_action
    when 'play', 'advance' then
      perform private.finish_playing(p_session_id, 'played', null);
      if v_item.id is null then
        return null;  -- advance on an empty queue: nothing playing now
      end if;
      update public.queue_items as q set status = 'playing', started_at = now(), pin_order = null
      where q.id = v_item.id returning * into v_item;
    when 'finish' then
      perform private.finish_playing(p_session_id, 'played', null);
    when 'skip' then
      if not exists (select 1 from public.queue_items as q where q.session_id = p_session_id and q.status = 'playing') then
        raise sqlstate 'PGRST' using
          message = hidden.api_error('IDLEQ', 'Nothing is playing.', 'Play a track first.'),
          detail = hidden.api_response('IDLEQ');
      end if;
      perform private.finish_playing(p_session_id, 'skipped', coalesce(p_reason, 'skipped by the DJ'));
    when 'reject' then
      update public.queue_items as q
      set status = 'rejected', ended_at = now(), decided_by = auth.uid(), decision_reason = p_reason
      where q.id = v_item.id returning * into v_item;
    else  -- play_next, pin, unpin, move: rewrite the manual block's order 1..n
      select coalesce(array_agg(q.id order by q.pin_order, q.id), '{}') into v_pinned from public.queue_items as q
      where q.session_id = p_session_id and q.status = 'queued' and q.pin_order is not null and q.id <> v_item.id;
      v_pinned := case p_action
        when 'play_next' then array[v_item.id] || v_pinned
        when 'pin' then v_pinned || v_item.id
        when 'move' then v_pinned[1:greatest(least(coalesce(p_position, 1), cardinality(v_pinned) + 1), 1) - 1]
          || v_item.id || v_pinned[greatest(least(coalesce(p_position, 1), cardinality(v_pinned) + 1), 1):]
        else v_pinned
      end;
      update public.queue_items as q
      set pin_order = array_position(v_pinned, q.id),
        rank_key = public.queue_rank_key_v1(v_session.queue_policy, array_position(v_pinned, q.id),
          q.upvotes - q.downvotes, q.boost, (hidden.setting('tip_boost_cap'))::integer, q.fair_round, q.requested_at)
      where q.session_id = p_session_id and q.status = 'queued'
        and (q.pin_order is not null or q.id = v_item.id);
      select * into v_item from public.queue_items as q where q.id = v_item.id;
  end case;
  return v_item;
end
$$;
