/*
 * queue-controls: what the DJ's team does with the queue, vote-to-skip, now playing and history.
 *
 * The DJ, co-hosts and the DJ's moderators run the queue: play a request now, put it next, pin
 * or move it within their manual block (pinned items come first), mark what is playing as played,
 * skip it or reject a request (with a reason), lock the queue and set its rules. Listeners can
 * vote to skip the playing track; when the votes reach the session's threshold (a share of the
 * present listeners, or log-scale so big rooms can still skip), it is skipped by the room.
 */

create function private.require_queue_team(p_session_id uuid) returns public.dj_sessions
language plpgsql stable
set search_path = ''
as $$
declare
  v_session public.dj_sessions;
begin
  perform hidden.require_user();
  select * into v_session from public.dj_sessions as s where s.id = p_session_id;
  if v_session.id is null then
    raise exception 'No such session.' using errcode = 'P0002', hint = 'Check the session id.';
  elsif not hidden.can_moderate_session(p_session_id) then
    raise exception 'Only the DJ and their team run the queue.' using errcode = '42501', hint = 'Vote or request instead.';
  elsif v_session.status = 'ended' then
    raise exception 'This session has ended.' using errcode = 'ENDED', hint = 'The queue is closed.';
  end if;
  return v_session;
end
$$;
comment on function private.require_queue_team(uuid) is 'The session, if the caller may run its queue (raises the reason otherwise).';

create function private.finish_playing(p_session_id uuid, p_outcome public.queue_status, p_reason text) returns void
language sql
set search_path = ''
as $$
  update public.queue_items as q
  set status = p_outcome, ended_at = now(), decision_reason = p_reason,
    decided_by = case when p_outcome = 'skipped' then auth.uid() end
  where q.session_id = p_session_id and q.status = 'playing'
$$;
comment on function private.finish_playing(uuid, public.queue_status, text) is
  'End whatever is playing in a session as played or skipped (logged to session_plays by trigger).';

create function private.tg_dj_sessions__close_queue() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  perform private.finish_playing(NEW.id, 'played', null);
  return null;
end
$$;
comment on function private.tg_dj_sessions__close_queue() is 'When a session ends, what is playing goes into the play log as played.';
create trigger _520_close_queue after update of status on public.dj_sessions
  for each row when (new.status = 'ended' and old.status <> 'ended')
  execute function private.tg_dj_sessions__close_queue();

create type public.queue_action as enum (
  'play', 'play_next', 'pin', 'unpin', 'move', 'finish', 'skip', 'reject', 'advance'
);
comment on type public.queue_action is 'What control_queue does (see its comment).';

create function hidden.control_queue(
  p_session_id uuid, p_action public.queue_action, p_item_id uuid, p_position integer, p_reason text
) returns public.queue_items
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_session public.dj_sessions := private.require_queue_team(p_session_id);
  v_item public.queue_items;
  v_pinned uuid[];
begin
  if p_action in ('play', 'play_next', 'pin', 'unpin', 'move', 'reject') then
    select * into v_item from public.queue_items as q where q.id = p_item_id and q.session_id = p_session_id;
    if v_item.id is null then
      raise exception 'No such request in this session.' using errcode = 'P0002', hint = 'Check the item id.';
    elsif v_item.status <> 'queued' then
      raise exception 'That request is not waiting in the queue.' using errcode = 'STATE', hint = 'Refresh the queue.';
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
        raise exception 'Nothing is playing.' using errcode = 'IDLEQ', hint = 'Play a track first.';
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
comment on function hidden.control_queue(uuid, public.queue_action, uuid, integer, text) is 'Implementation of public.control_queue.';
grant execute on function hidden.control_queue(uuid, public.queue_action, uuid, integer, text) to authenticated;

create function public.control_queue(
  p_session_id uuid, p_action public.queue_action, p_item_id uuid default null, p_position integer default null,
  p_reason text default null
) returns public.queue_items
language sql volatile
set search_path = ''
as $$ select hidden.control_queue(p_session_id, p_action, p_item_id, p_position, p_reason) $$;
comment on function public.control_queue(uuid, public.queue_action, uuid, integer, text) is
  E'Run the queue (DJ, co-hosts, the DJ''s moderators). p_action: play (this request now; what played is marked '
  'played), advance (play the top of the queue), play_next (first in the manual block), pin (end of the manual '
  'block), unpin, move (to p_position in the manual block), finish (mark what is playing as played), skip (what '
  'is playing, p_reason), reject (a request, p_reason). Returns the item acted on (NULL for finish/skip, or '
  'advance on an empty queue).\n'
  'Errors: LOGIN; P0002 no such session/item; 42501 not the team; ENDED; STATE item not queued; IDLEQ nothing playing.\n'
  'Example: await supabase.rpc(''control_queue'', { p_session_id: id, p_action: ''advance'' })';
grant execute on function public.control_queue(uuid, public.queue_action, uuid, integer, text) to authenticated;

create function public.set_queue_settings(
  p_session_id uuid,
  p_policy public.queue_policy default 'hybrid',
  p_requests_open boolean default true,
  p_locked boolean default false,
  p_allow_explicit boolean default true,
  p_max_track_seconds integer default null,
  p_request_limit integer default 3,
  p_skip_mode public.skip_mode default 'percent',
  p_skip_percent integer default 50,
  p_skip_log_factor numeric default 3
) returns public.dj_sessions
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row public.dj_sessions;
begin
  perform hidden.require_user();
  if not hidden.can_moderate_session(p_session_id) then
    raise exception 'Only the DJ and their team set the queue rules.' using errcode = '42501', hint = 'Ask the DJ.';
  end if;
  update public.dj_sessions as s
  set queue_policy = p_policy, requests_open = p_requests_open, queue_locked = p_locked, allow_explicit = p_allow_explicit,
    max_track_seconds = p_max_track_seconds, request_limit = p_request_limit, skip_mode = p_skip_mode,
    skip_percent = p_skip_percent, skip_log_factor = p_skip_log_factor
  where s.id = p_session_id
  returning * into v_row;
  perform hidden.require_session_change(v_row.id is not null, p_session_id);
  return v_row;
exception
  when check_violation then
    raise exception 'Invalid queue settings: %.', sqlerrm
      using errcode = '22023', hint = 'Limits: request_limit 1-50, track 30 s-3 h, skip percent 1-100, log factor 0-20.';
end
$$;
comment on function public.set_queue_settings(
  uuid, public.queue_policy, boolean, boolean, boolean, integer, integer, public.skip_mode, integer, numeric
) is
  E'Set the queue rules (DJ and team): ordering policy (votes, fair_share, hybrid; re-ranks at once), requests '
  'open, locked (listeners can neither request, vote nor withdraw), explicit allowed, longest track, open '
  'requests per listener, vote-to-skip mode and threshold. Returns the session.\n'
  'Errors: LOGIN; P0002; 42501; ENDED; 22023.\n'
  'Example: await supabase.rpc(''set_queue_settings'', { p_session_id: id, p_policy: ''fair_share'', p_skip_mode: ''log'' })';
grant execute on function public.set_queue_settings(
  uuid, public.queue_policy, boolean, boolean, boolean, integer, integer, public.skip_mode, integer, numeric
) to authenticated;

-- vote to skip ---------------------------------------------------------------------------------

create type public.skip_status as (item_id uuid, votes integer, needed integer, skipped boolean);
comment on type public.skip_status is 'vote_skip''s result: votes so far, votes needed (NULL: skipping off), whether it skipped.';

create function hidden.vote_skip(p_session_id uuid) returns public.skip_status
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
    raise exception 'Nothing is playing.' using errcode = 'IDLEQ', hint = 'Vote when a track is playing.';
  end if;
  v_needed := public.queue_skip_threshold(v_session.skip_mode, v_session.skip_percent, v_session.skip_log_factor,
    v_session.listener_count);
  if v_needed is null then
    raise exception 'Vote-to-skip is off in this session.' using errcode = 'STATE', hint = 'The DJ can turn it on.';
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
comment on function hidden.vote_skip(uuid) is 'Implementation of public.vote_skip.';
grant execute on function hidden.vote_skip(uuid) to authenticated;

create function public.vote_skip(p_session_id uuid) returns public.skip_status
language sql volatile
set search_path = ''
as $$ select hidden.vote_skip(p_session_id) $$;
comment on function public.vote_skip(uuid) is
  E'Vote to skip the playing track (once per track). When votes reach the threshold for the present listener '
  'count (see queue_skip_threshold), the track is skipped. Returns {item_id, votes, needed, skipped}.\n'
  'Errors: LOGIN; ANONY; P0002; ENDED; BANND; NOTIN; QLOCK; IDLEQ nothing playing; STATE skipping is off.\n'
  'Example: const { data } = await supabase.rpc(''vote_skip'', { p_session_id: id })';
grant execute on function public.vote_skip(uuid) to authenticated;

-- now playing and history ----------------------------------------------------------------------

create type public.now_playing as (
  item_id uuid,
  track_id uuid,
  title text,
  artist text,
  duration_ms integer,
  artwork_url text,
  requested_by uuid,
  started_at timestamptz,
  server_time timestamptz,
  upvotes integer,
  downvotes integer,
  skip_votes integer
);
comment on type public.now_playing is 'The playing track with its start time and the server''s clock (progress = server_time - started_at).';

create function public.now_playing(p_session_id uuid) returns public.now_playing
language sql stable
set search_path = ''
as $$
  select q.id, t.id, t.title, t.artist, t.duration_ms, t.artwork_url, q.requested_by, q.started_at, now(),
    q.upvotes, q.downvotes, q.skip_votes
  from public.queue_items as q join public.tracks as t on t.id = q.track_id
  where q.session_id = p_session_id and q.status = 'playing'
$$;
comment on function public.now_playing(uuid) is
  E'What is playing, when it started and the server''s time, so clients sync progress without trusting their clock. '
  'NULL fields when nothing plays.\n'
  'Example: const { data } = await supabase.rpc(''now_playing'', { p_session_id: id })';
grant execute on function public.now_playing(uuid) to authenticated;

create function public.session_history(p_session_id uuid, p_before_id bigint default null, p_limit integer default 50)
returns setof public.session_plays
language sql stable
set search_path = ''
as $$
  select * from public.session_plays as p
  where p.session_id = p_session_id and (p_before_id is null or p.id < p_before_id)
  order by p.id desc
  limit least(greatest(coalesce(p_limit, 50), 1), 200)
$$;
comment on function public.session_history(uuid, bigint, integer) is
  E'What played in a session, newest first, with its reception (votes, skip votes, outcome); also after it ended. '
  'Pass the last row''s id as p_before_id for the next page.\n'
  'Example: const { data } = await supabase.rpc(''session_history'', { p_session_id: id })';
grant execute on function public.session_history(uuid, bigint, integer) to authenticated;
