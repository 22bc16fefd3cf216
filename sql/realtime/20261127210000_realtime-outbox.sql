/*
 * realtime-outbox: every live event leaves through Supabase Realtime's Broadcast from Database,
 * written in the same transaction as the change, within a delivered-message budget.
 *
 * Topics: `session:<id>` (room events) and `user:<id>` (personal events). Every broadcast carries
 * its topic's gap-free sequence number and the server time, and is logged so a reconnecting
 * client can fetch what it missed (session_events_since) instead of relying on Realtime's
 * 25-message replay.
 *
 * Budget (docs/realtime-events.md has the reasoning and the numbers). Realtime counts a broadcast
 * to N subscribers as N + 1 messages against the plan's messages/s limit, enforced on a 60-second
 * moving average, so everything is budgeted per 60 s:
 *   - each room gets a quota q: the most broadcasts it (so each of its listeners) may get in any
 *     60 s, at most B (realtime_listener_budget_per_minute);
 *   - the flusher (every second) shares the project budget, 60 s x L x safety factor delivered
 *     messages, between live rooms: every room first gets a floor (one broadcast plus one every
 *     30 s); the rest is split equally between rooms, smallest first, each taking at most what
 *     lifts it to B (a broadcast to a room costs listeners + 1), so small rooms get the full B
 *     and big rooms share what is left;
 *   - a room spends from a token bucket of capacity c = clamp(q / 6, 1, C) refilled at
 *     (q - c) / 60 per second, so it never sends more than q in any 60 s.
 * A room event goes out at once when a token is available, nothing is waiting, and it is not
 * high-frequency in a big room; otherwise it waits in a buffer that the flusher coalesces into one
 * `tick` of current state: chat batched (sampled past a bound, always keeping the DJ, moderators
 * and mentions of the DJ), the latest state of queue items, vote tallies and the listener count.
 */

insert into private.settings (key, value, description) values
  ('realtime_listener_budget_per_minute', '60', 'B: most messages a listener gets from a room in any 60 s.'),
  ('realtime_burst', '10', 'C: broadcasts a small room may send back to back (part of B).'),
  ('realtime_project_messages_per_second', '2500', 'L: the plan''s delivered messages/s (Pro, Team).'),
  ('realtime_safety_factor', '0.8', 'Share of L rooms may use (the rest: user events, presence).'),
  ('realtime_immediate_max_listeners', '50', 'Rooms this small send chat, votes, counts at once if budget allows.'),
  ('realtime_chat_per_tick', '25', 'Most chat messages in one tick; beyond it chat is sampled.'),
  ('realtime_presence_max_listeners', '100', 'Rooms up to this size allow client Presence (avatars).'),
  ('realtime_log_retention_hours', '24', 'How long logged events stay available for resync.');

-- tables ---------------------------------------------------------------------------------------

create function private.rt_capacity(p_quota double precision) returns double precision
language sql stable
set search_path = ''
as $$
  select greatest(1, least((hidden.setting('realtime_burst'))::double precision, p_quota / 6))
$$;
comment on function private.rt_capacity(double precision) is
  'Token bucket size for a room allowed p_quota broadcasts per 60 s: a burst of 10 s worth of quota, at most C, at least 1.';

create function private.rt_refill(p_quota double precision) returns double precision
language sql stable
set search_path = ''
as $$
  -- capacity + 60 s of refill = quota (a quarter of it at least, for quotas under 4/3).
  select greatest(p_quota - private.rt_capacity(p_quota), p_quota / 4) / 60
$$;
comment on function private.rt_refill(double precision) is 'Token refill per second for a room allowed p_quota broadcasts per 60 s.';

create table private.realtime_topics (
  topic text primary key
    check (topic ~ '^(session|user):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
  session_id uuid,
  last_seq bigint not null default 0,
  -- A new room is small: full quota and a full bucket until the flusher says otherwise.
  quota double precision not null default (hidden.setting('realtime_listener_budget_per_minute'))::double precision,
  capacity double precision not null
    default private.rt_capacity((hidden.setting('realtime_listener_budget_per_minute'))::double precision),
  rate double precision not null
    default private.rt_refill((hidden.setting('realtime_listener_budget_per_minute'))::double precision),
  tokens double precision not null
    default private.rt_capacity((hidden.setting('realtime_listener_budget_per_minute'))::double precision),
  refilled_at timestamptz not null default now(),
  pending integer not null default 0,
  last_broadcast_at timestamptz
)
-- Updated several times a second in busy rooms: room on each page keeps those updates HOT (no
-- index writes, no index bloat between vacuums), and vacuum follows quickly.
with (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000);
comment on table private.realtime_topics is
  'One row per realtime topic: its sequence counter and broadcast budget (token bucket).';
comment on column private.realtime_topics.topic is 'session:<id> or user:<id>.';
comment on column private.realtime_topics.session_id is 'The session, for session topics.';
comment on column private.realtime_topics.last_seq is 'Sequence number of the last broadcast (gap-free per topic).';
comment on column private.realtime_topics.quota is 'Most broadcasts in any 60 s (set by the flusher from the room''s size).';
comment on column private.realtime_topics.capacity is 'Token bucket size: broadcasts the room may send back to back (rt_capacity of quota).';
comment on column private.realtime_topics.rate is 'Token refill per second (rt_refill of quota).';
comment on column private.realtime_topics.tokens is 'Broadcasts available now (token bucket).';
comment on column private.realtime_topics.refilled_at is 'When tokens was last brought up to date.';
comment on column private.realtime_topics.pending is 'Events waiting in the buffer for the next tick.';
comment on column private.realtime_topics.last_broadcast_at is 'When the last broadcast left.';
alter table private.realtime_topics enable row level security;

create table private.realtime_log (
  topic text not null,
  seq bigint not null,
  event text not null,
  payload jsonb not null,
  recipients integer not null default 0,
  created_at timestamptz not null default now(),
  primary key (topic, seq)
);
comment on table private.realtime_log is 'Every broadcast, by topic and sequence number: what resync replays.';
comment on column private.realtime_log.topic is 'The topic.';
comment on column private.realtime_log.seq is 'Its sequence number.';
comment on column private.realtime_log.event is 'Event name (the broadcast''s event).';
comment on column private.realtime_log.payload is 'The broadcast payload (the envelope with data).';
comment on column private.realtime_log.recipients is 'Listeners it went to (Realtime bills recipients + 1).';
comment on column private.realtime_log.created_at is 'When it was sent (pruned after realtime_log_retention_hours).';
create index realtime_log_created_idx on private.realtime_log (created_at);
alter table private.realtime_log enable row level security;

create table private.realtime_buffer (
  id bigint generated always as identity primary key,
  topic text not null,
  event text not null,
  data jsonb not null,
  created_at timestamptz not null default now()
);
comment on table private.realtime_buffer is 'Events waiting for the next tick of their room.';
comment on column private.realtime_buffer.id is 'Arrival order.';
comment on column private.realtime_buffer.topic is 'The topic.';
comment on column private.realtime_buffer.event is 'The event it would have been.';
comment on column private.realtime_buffer.data is 'Its data.';
comment on column private.realtime_buffer.created_at is 'When it happened.';
create index realtime_buffer_topic_idx on private.realtime_buffer (topic, id);
alter table private.realtime_buffer enable row level security;
-- NOTE: no policies and no grants on these three: only definer functions touch them.

-- clock, envelope, send ------------------------------------------------------------------------

create function private.rt_now() returns timestamptz
language sql volatile
set search_path = ''
as $$
  -- Tests and simulations set whatssound.fake_now to run minutes of traffic deterministically.
  select coalesce(nullif(current_setting('whatssound.fake_now', true), '')::timestamptz, clock_timestamp())
$$;
comment on function private.rt_now() is 'The realtime budget''s clock: wall time, or whatssound.fake_now when a simulation sets it.';

create function private.rt_topic_session(p_topic text) returns uuid
language plpgsql immutable
set search_path = ''
as $$
begin
  -- PL/pgSQL, not SQL: an inlined SQL body lets the planner cast before the pattern is checked.
  if p_topic ~ '^session:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    return substr(p_topic, 9)::uuid;
  end if;
  return null;
end
$$;
comment on function private.rt_topic_session(text) is 'The session of a well-formed session:<uuid> topic, else NULL (never an error).';

create function private.rt_topic_row(p_topic text, p_session_id uuid) returns private.realtime_topics
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row private.realtime_topics;
begin
  -- Lock the topic (creating it on first use): its sequence and budget change together.
  select * into v_row from private.realtime_topics as t where t.topic = p_topic for update;
  if v_row.topic is null then
    insert into private.realtime_topics (topic, session_id, refilled_at) values (p_topic, p_session_id, private.rt_now())
    on conflict (topic) do nothing;
    select * into v_row from private.realtime_topics as t where t.topic = p_topic for update;
  end if;
  return v_row;
end
$$;
comment on function private.rt_topic_row(text, uuid) is 'The topic''s row, created if missing, locked for this transaction.';

create function private.rt_broadcast(p_topic text, p_event text, p_data jsonb, p_recipients integer) returns bigint
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
  insert into private.realtime_log (topic, seq, event, payload, recipients, created_at)
  values (p_topic, v_seq, p_event, v_payload, coalesce(p_recipients, 0), v_now);
  perform realtime.send(v_payload, p_event, p_topic, true);
  return v_seq;
end
$$;
comment on function private.rt_broadcast(text, text, jsonb, integer) is
  'Send one private broadcast with the next sequence number and log it with its recipients (Realtime bills '
  'p_recipients + 1). The topic row must be locked.';

create function private.rt_take_token(p_topic private.realtime_topics) returns boolean
language plpgsql volatile
set search_path = ''
as $$
declare
  v_now timestamptz := private.rt_now();
  v_tokens double precision := least(p_topic.capacity,
    p_topic.tokens + greatest(extract(epoch from v_now - p_topic.refilled_at), 0) * p_topic.rate);
begin
  update private.realtime_topics as t
  set tokens = case when v_tokens >= 1 then v_tokens - 1 else v_tokens end, refilled_at = v_now
  where t.topic = p_topic.topic;
  return v_tokens >= 1;
end
$$;
comment on function private.rt_take_token(private.realtime_topics) is 'Spend one broadcast from the room''s bucket if one is available.';

-- emitting -------------------------------------------------------------------------------------

create function private.rt_emit(p_session_id uuid, p_event text, p_data jsonb, p_high_frequency boolean)
returns void
language plpgsql volatile
set search_path = ''
as $$
declare
  v_topic text := 'session:' || p_session_id;
  v_listeners integer;
  v_row private.realtime_topics;
begin
  select s.listener_count into v_listeners from public.dj_sessions as s where s.id = p_session_id;
  if p_high_frequency and v_listeners > (hidden.setting('realtime_immediate_max_listeners'))::integer then
    -- A big room: batched into the next tick, without touching the topic row (no hot-row lock).
    insert into private.realtime_buffer (topic, event, data) values (v_topic, p_event, p_data);
    return;
  end if;
  v_row := private.rt_topic_row(v_topic, p_session_id);
  if v_row.pending = 0 and private.rt_take_token(v_row) then
    perform private.rt_broadcast(v_topic, p_event, p_data, v_listeners);
  else
    -- Out of budget, or earlier events still wait (order matters): queue behind them.
    insert into private.realtime_buffer (topic, event, data) values (v_topic, p_event, p_data);
    update private.realtime_topics as t set pending = t.pending + 1 where t.topic = v_topic;
  end if;
end
$$;
comment on function private.rt_emit(uuid, text, jsonb, boolean) is
  'Emit a room event: broadcast now if the room''s budget allows (and it is not high-frequency in a big room), '
  'else buffer it for the next tick.';

create function private.rt_user_event(p_user_id uuid, p_event text, p_data jsonb) returns void
language plpgsql volatile
set search_path = ''
as $$
begin
  perform private.rt_topic_row('user:' || p_user_id, null);
  perform private.rt_broadcast('user:' || p_user_id, p_event, p_data, 1);
end
$$;
comment on function private.rt_user_event(uuid, text, jsonb) is 'Send a personal event to user:<id> (one recipient: always at once).';
