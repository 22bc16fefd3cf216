/*
 * realtime-delivery-lanes: every room live, inside the month's budget (ADR 2026-12-02).
 *
 * Realtime bills a broadcast once per subscriber, and the plan's quota (2,500 messages a second,
 * treated as a per-second limit: Supabase documents no window) caps what one second may carry. A
 * room of N subscribers costs N + 1 messages per event, so pushing a crowd's chat, votes and queue
 * cannot be both live and affordable; reading it costs a database read per client instead. So a
 * room is served in one of two modes, decided by the server from its size and told to the app:
 *
 *   push   rooms up to realtime_push_max_listeners (20): the app subscribes to session:<id> and
 *          every event is broadcast at once (ticks only when a room exceeds its budget);
 *   pull   bigger rooms (from realtime_pull_min_listeners, 25; back to push at 20): the app does
 *          not subscribe; it calls session_poll every poll_ms (900 ms, stretched only when the
 *          project's polls would exceed realtime_poll_budget_per_second). Events meant to be seen
 *          at once (now playing, session status, moderation, tips, announcements) are logged with
 *          their sequence number the moment they happen, so the next poll has them; chat, votes,
 *          requests and counts are coalesced by the flusher into one frame (a `tick`, not sent)
 *          per second.
 *
 * Beside them, a staff lane: staff:<session id>, joined only by the DJ, the DJ's moderators, the
 * room's co-hosts and platform staff, carries reports and held messages in every room and, in
 * pull rooms, every chat line and every new request, at once and never sampled (its own budget
 * of realtime_staff_per_minute; a flood is batched into staff ticks, still whole).
 *
 * One sequence per topic: a push room's broadcasts and a pull room's polled entries are the same
 * envelopes in the same order, so a client moving between modes (a `delivery` event says when)
 * carries its last sequence number over and loses nothing. Every broadcasting transaction commits
 * synchronously: Realtime reads realtime.messages by logical replication, which decodes only
 * flushed WAL, so an asynchronously committed chat line was 200-400 ms late to every subscriber.
 */

-- settings -------------------------------------------------------------------------------------

delete from private.settings
where key = 'realtime_immediate_max_listeners';
insert into private.settings (key, value, description) values
  ('realtime_push_max_listeners', '20', 'Rooms with at most this many listeners are push rooms (all at once).'),
  ('realtime_pull_min_listeners', '25', 'A push room becomes a pull room (the app polls) from this many listeners.'),
  ('realtime_poll_ms', '900', 'How often an app in a pull room polls (ms): at-once events reach it within this.'),
  ('realtime_poll_budget_per_second', '6000', 'Polls a second the database is sized for; poll_ms stretches beyond.'),
  ('realtime_staff_per_minute', '600', 'The staff lane''s broadcasts per minute before it batches (every line kept).'),
  ('realtime_tick_max_events', '2000', 'Buffered events one flush takes from a room (the rest wait for the next).'),
  ('realtime_tick_max_bytes', '200000', 'Most bytes of buffered events one tick carries (under the 256 KB limit).'),
  ('realtime_tick_top_items', '10', 'Queue items whose order and tallies a tick carries (the top of the queue).'),
  ('realtime_poll_max_events', '50', 'Entries one session_poll returns (more: call again at once).'),
  ('realtime_poll_catchup_max', '120', 'A poller further behind than this many entries takes a snapshot instead.');
update private.settings
set value = '30', description = 'Most chat lines in one tick; beyond it chat is sampled (chat_since has all).'
where key = 'realtime_chat_per_tick';

-- tables ---------------------------------------------------------------------------------------

alter table private.realtime_topics drop constraint realtime_topics_topic_check;
alter table private.realtime_topics add constraint realtime_topics_topic_check
  check (topic ~ '^(session|staff|user):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$');
alter table private.realtime_topics
  add column delivery text not null default 'push' check (delivery in ('push', 'pull')),
  add column subscribers integer not null default 0 check (subscribers >= 0),
  add column poll_ms integer not null default 900 check (poll_ms > 0);
comment on column private.realtime_topics.topic is 'session:<id>, staff:<session id> or user:<id>.';
comment on column private.realtime_topics.session_id is 'The session, for session and staff topics.';
comment on column private.realtime_topics.delivery is
  'push: subscribers receive every broadcast; pull: nobody subscribes, clients poll session_poll (session topics).';
comment on column private.realtime_topics.subscribers is
  'Clients subscribed now (a push room''s foreground members; 0 in pull mode): what a broadcast costs, minus one.';
comment on column private.realtime_topics.poll_ms is 'How often clients of a pull room poll (ms).';

alter table private.realtime_log add column sent boolean not null default true;
comment on column private.realtime_log.sent is
  'Whether it was broadcast (false: a pull room''s entry, read by polls only, never billed).';
comment on column private.realtime_log.recipients is 'Subscribers it was broadcast to (Realtime bills recipients + 1; 0 if not sent).';

-- topics ---------------------------------------------------------------------------------------

create or replace function private.rt_topic_session(p_topic text) returns uuid
language plpgsql immutable
set search_path = ''
as $$
begin
  -- PL/pgSQL, not SQL: an inlined SQL body lets the planner cast before the pattern is checked.
  if p_topic ~ '^(session|staff):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    return substr(p_topic, strpos(p_topic, ':') + 1)::uuid;
  end if;
  return null;
end
$$;
comment on function private.rt_topic_session(text) is
  'The session of a well-formed session:<uuid> or staff:<uuid> topic, else NULL (never an error).';

-- sending --------------------------------------------------------------------------------------

drop function private.rt_broadcast(text, text, jsonb, integer);
create function private.rt_broadcast(p_topic text, p_event text, p_data jsonb, p_recipients integer, p_send boolean)
returns bigint
language plpgsql volatile
set search_path = ''
as $$
declare
  v_now timestamptz := private.rt_now();
  v_seq bigint;
  v_payload jsonb;
begin
  -- The caller holds the topic row's lock (rt_topic_row), so sequence numbers have no gaps.
  update private.realtime_topics as t
  set last_seq = t.last_seq + 1, last_broadcast_at = v_now
  where t.topic = p_topic
  returning t.last_seq into v_seq;
  v_payload := jsonb_build_object(
    'v', 1, 'seq', v_seq, 'ts', (extract(epoch from v_now) * 1000)::bigint, 'event', p_event,
    'topic', p_topic, 'data', p_data
  );
  insert into private.realtime_log (topic, seq, event, payload, recipients, created_at, sent)
  values (p_topic, v_seq, p_event, v_payload, case when p_send then coalesce(p_recipients, 0) else 0 end, v_now, p_send);
  if p_send then
    -- Realtime decodes realtime.messages from the WAL, which it can read only once flushed: a
    -- transaction that broadcasts commits synchronously, whatever its caller chose.
    perform set_config('synchronous_commit', 'on', true);
    perform realtime.send(v_payload, p_event, p_topic, true);
  end if;
  return v_seq;
end
$$;
comment on function private.rt_broadcast(text, text, jsonb, integer, boolean) is
  'Give an event the topic''s next sequence number and log it; with p_send also broadcast it (private) to '
  'p_recipients subscribers (billed p_recipients + 1) and commit synchronously. The topic row must be locked.';

create or replace function private.rt_emit(p_session_id uuid, p_event text, p_data jsonb, p_high_frequency boolean)
returns void
language plpgsql volatile
set search_path = ''
as $$
declare
  v_topic text := 'session:' || p_session_id;
  v_mode text;
  v_row private.realtime_topics;
begin
  select t.delivery into v_mode from private.realtime_topics as t where t.topic = v_topic;
  if p_high_frequency and v_mode = 'pull' then
    -- A crowd: into the next frame, without touching the topic row (a packed room's chat never
    -- queues behind one hot row lock). The staff lane has every chat line and request at once.
    insert into private.realtime_buffer (topic, event, data) values (v_topic, p_event, p_data);
    if p_event in ('chat.message', 'queue.item') then
      perform private.rt_staff_event(p_session_id, p_event, p_data);
    end if;
    return;
  end if;
  v_row := private.rt_topic_row(v_topic, p_session_id);
  if not p_high_frequency then
    -- At once in every room, never behind a tick: broadcast to a push room (spending a token if one
    -- is there, never waiting for one), logged for a pull room's next poll.
    if v_row.delivery = 'push' then
      perform private.rt_take_token(v_row);
    end if;
    perform private.rt_broadcast(v_topic, p_event, p_data, v_row.subscribers, v_row.delivery = 'push');
  elsif v_row.pending = 0 and private.rt_take_token(v_row) then
    perform private.rt_broadcast(v_topic, p_event, p_data, v_row.subscribers, true);
  else
    -- A push room over its budget, or earlier events still wait (order matters): the next tick.
    insert into private.realtime_buffer (topic, event, data) values (v_topic, p_event, p_data);
    update private.realtime_topics as t set pending = t.pending + 1 where t.topic = v_topic;
  end if;
end
$$;
comment on function private.rt_emit(uuid, text, jsonb, boolean) is
  'Emit a room event. At-once events (p_high_frequency false) go out now in every room: broadcast in push mode, '
  'logged for polls in pull mode. High-frequency ones are broadcast now in a push room with budget, else wait for '
  'the next tick; in a pull room they wait for the next frame, and chat lines and new requests also go to the '
  'staff lane.';

create function private.rt_team_count(p_session_id uuid) returns integer
language sql stable
set search_path = ''
as $$
  select count(*)::integer from public.session_members as m
  where m.session_id = p_session_id and m.left_at is null and m.role <> 'listener' and m.foreground
$$;
comment on function private.rt_team_count(uuid) is 'The DJ''s team present in the foreground of a room: the staff lane''s subscribers.';

create function private.rt_staff_event(p_session_id uuid, p_event text, p_data jsonb) returns void
language plpgsql volatile
set search_path = ''
as $$
declare
  v_topic text := 'staff:' || p_session_id;
  v_quota double precision := (hidden.setting('realtime_staff_per_minute'))::double precision;
  v_row private.realtime_topics;
begin
  -- The lane's own budget, set when its topic is first used.
  insert into private.realtime_topics (topic, session_id, quota, capacity, rate, tokens, refilled_at)
  values (v_topic, p_session_id, v_quota, private.rt_capacity(v_quota), private.rt_refill(v_quota),
    private.rt_capacity(v_quota), private.rt_now())
  on conflict (topic) do nothing;
  v_row := private.rt_topic_row(v_topic, p_session_id);
  if v_row.pending = 0 and private.rt_take_token(v_row) then
    perform private.rt_broadcast(v_topic, p_event, p_data, private.rt_team_count(p_session_id), true);
  else
    -- A flood: batched into the lane's next tick, every item kept.
    insert into private.realtime_buffer (topic, event, data) values (v_topic, p_event, p_data);
    update private.realtime_topics as t set pending = t.pending + 1 where t.topic = v_topic;
  end if;
end
$$;
comment on function private.rt_staff_event(uuid, text, jsonb) is
  'Send an event to the room''s staff lane (staff:<session>: the DJ, co-hosts, the DJ''s moderators, staff) at once, '
  'or in its next tick when the lane is over its budget (realtime_staff_per_minute).';

create or replace function private.rt_user_event(p_user_id uuid, p_event text, p_data jsonb) returns void
language plpgsql volatile
set search_path = ''
as $$
begin
  perform private.rt_topic_row('user:' || p_user_id, null);
  perform private.rt_broadcast('user:' || p_user_id, p_event, p_data, 1, true);
end
$$;
comment on function private.rt_user_event(uuid, text, jsonb) is
  'Send a personal event to user:<id> (one recipient, always at once; an app in a pull room learns of it from '
  'session_poll''s `me` and reads it with my_events_since).';

-- deciding each room's mode --------------------------------------------------------------------

create function private.rt_target_delivery(p_current text, p_listeners integer) returns text
language sql stable
set search_path = ''
as $$
  -- Hysteresis: a push room becomes a pull room from realtime_pull_min_listeners and goes back at
  -- realtime_push_max_listeners, so a room hovering at the threshold does not flap.
  select case
    when p_current = 'pull' then
      case when p_listeners <= (hidden.setting('realtime_push_max_listeners'))::integer then 'push' else 'pull' end
    when p_listeners >= (hidden.setting('realtime_pull_min_listeners'))::integer then 'pull'
    else 'push'
  end
$$;
comment on function private.rt_target_delivery(text, integer) is
  'The delivery mode a room in mode p_current with p_listeners present listeners should be in.';

create function private.rt_refresh_delivery() returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_poll_ms integer := (hidden.setting('realtime_poll_ms'))::integer;
  v_budget double precision := (hidden.setting('realtime_poll_budget_per_second'))::double precision;
  v_pollers bigint;
  v_room record;
  v_switched integer := 0;
begin
  -- Polls the project would take at the base interval; beyond the budget every pull room slows alike.
  select coalesce(sum(s.foreground_count), 0) into v_pollers
  from public.dj_sessions as s
  join private.realtime_topics as t on t.topic = 'session:' || s.id
  where s.status = 'live' and private.rt_target_delivery(t.delivery, s.listener_count) = 'pull';
  v_poll_ms := greatest(v_poll_ms, ceil(1000.0 * v_pollers / greatest(v_budget, 1))::integer);
  for v_room in
    select r.* from (
      select t.topic, t.delivery, t.subscribers, t.poll_ms,
        private.rt_target_delivery(t.delivery, s.listener_count) as target, s.foreground_count
      from public.dj_sessions as s
      join private.realtime_topics as t on t.topic = 'session:' || s.id
      where s.status = 'live'
    ) as r
    where r.delivery <> r.target
      or r.subscribers <> case when r.target = 'push' then r.foreground_count else 0 end
      or (r.target = 'pull' and r.poll_ms <> v_poll_ms)
  loop
    -- A room busy right now (an emitter holds its row) is decided on the next run.
    perform 1 from private.realtime_topics as t where t.topic = v_room.topic for update skip locked;
    if not found then
      continue;
    end if;
    if v_room.delivery <> v_room.target then
      -- Said in the old mode (push subscribers hear it; pollers read it), numbered like any event.
      perform private.rt_broadcast(v_room.topic, 'delivery', jsonb_build_object(
        'mode', v_room.target, 'poll_ms', case when v_room.target = 'pull' then v_poll_ms end
      ), v_room.subscribers, v_room.delivery = 'push');
      v_switched := v_switched + 1;
    end if;
    update private.realtime_topics as t
    set delivery = v_room.target,
      subscribers = case when v_room.target = 'push' then v_room.foreground_count else 0 end,
      poll_ms = case when v_room.target = 'pull' then v_poll_ms else t.poll_ms end
    where t.topic = v_room.topic;
  end loop;
  return v_switched;
end
$$;
comment on function private.rt_refresh_delivery() is
  'Every flush: set each live room''s delivery mode from its listener count (rt_target_delivery), its subscribers '
  '(push: foreground members; pull: none) and its poll interval (realtime_poll_ms, stretched when the project''s '
  'pollers would exceed realtime_poll_budget_per_second); a room that changes mode says so with a `delivery` event. '
  'Returns how many rooms switched.';

-- who may read (join) which topic --------------------------------------------------------------

create or replace function hidden.realtime_can_read(p_topic text) returns boolean
language plpgsql stable security definer
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
  v_uid uuid := auth.uid();
  v_session public.dj_sessions;
  v_team boolean;
begin
  if v_uid is null or p_topic is null then
    return false;
  elsif p_topic like 'user:%' then
    return p_topic = 'user:' || v_uid;
  end if;
  select * into v_session from public.dj_sessions as s where s.id = private.rt_topic_session(p_topic);
  if v_session.id is null then
    return false;
  end if;
  v_team := v_session.dj_id = v_uid
    or exists (select 1 from public.dj_moderators as d where d.dj_id = v_session.dj_id and d.user_id = v_uid)
    or hidden.is_staff();
  if p_topic like 'staff:%' then
    return v_team or exists (
      select 1 from public.session_members as m
      where m.session_id = v_session.id and m.user_id = v_uid and m.role = 'cohost' and m.left_at is null
    );
  elsif v_team then
    return true;
  elsif hidden.is_banned(v_session.dj_id, v_uid)
    or exists (select 1 from public.blocks as k where k.blocker_id = v_session.dj_id and k.blocked_id = v_uid) then
    return false;
  end if;
  return case v_session.visibility
    when 'public' then true
    when 'followers' then exists (
      select 1 from public.follows as f where f.follower_id = v_uid and f.followee_id = v_session.dj_id
    ) or exists (select 1 from public.session_members as m where m.session_id = v_session.id and m.user_id = v_uid)
    else exists (select 1 from public.session_members as m where m.session_id = v_session.id and m.user_id = v_uid)
  end;
end
$$;
comment on function hidden.realtime_can_read(text) is
  'Whether the caller may join a realtime topic: their own user:<id>; a session they may view and are not banned '
  'from or blocked by its DJ (public: any signed-in user; followers: followers and members; private: members); a '
  'session''s staff:<id> lane if they are its DJ, the DJ''s moderator, a present co-host or staff.';
