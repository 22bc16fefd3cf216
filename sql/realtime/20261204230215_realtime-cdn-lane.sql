/*
 * realtime-cdn-lane: the crowd of a huge public room reads its events as files from Storage's CDN.
 *
 * Measured (issue 22, docs/benchmarks.md "Liveness"): a room of 10,000 present listeners polled by
 * session_poll is ~4,400 database transactions a second (40 % of its apps in the foreground, one
 * poll each 900 ms), a whole database core on its own and, with PostgREST beside it, more than
 * this 2-core machine: at-once events took 1.2–2.2 s (goal 1 s) and the DJ's lane 2.3 s (goal
 * 250 ms). A poll cannot get much cheaper: most of it is the transaction PostgREST opens for any
 * request. So a huge room's polls leave the database: every `realtime_cdn_slot_ms` the service
 * (whatssound_svc/realtime_cdn.py) cuts, for each room in the new mode `cdn`, one immutable file
 * holding the room's log entries since the last file (what session_poll would have answered),
 * and uploads it to the public bucket `realtime_cdn_bucket` as `<session id>/<slot>.json`. The
 * app fetches slot after slot from the CDN, `realtime_cdn_lag_ms` after each slot ends; the
 * database sees two small writes a second per room, whatever the crowd. Names are per slot
 * because Smart CDN takes up to 60 s to invalidate a changed object
 * (https://supabase.com/docs/guides/storage/cdn/smart-cdn), and a file never changes once cut.
 *
 * Which rooms: public ones only (a public bucket is readable by anyone with the URL, and a public
 * room's events are readable by any signed-in user anyway), from `realtime_cdn_min_listeners`
 * until the room is back at `realtime_cdn_exit_listeners` (hysteresis, like push and pull), and
 * only while the lane works: its base URL is set and the publisher has stored a whole round within
 * `realtime_cdn_publisher_timeout_ms`. When the publisher stops, the next flush (pg_cron) puts
 * every cdn room back to pull, announced like any switch; an app that finds a frame missing
 * polls once and follows the mode the poll reports, so nothing is lost while it falls back.
 *
 * Sequence numbers carry over: a frame says which range it holds (from_seq, to_seq], and an app
 * whose last seq is below from_seq closes the gap with session_poll first (docs/realtime-events.md).
 */

-- settings -------------------------------------------------------------------------------------

insert into private.settings (key, value, description) values
  ('realtime_cdn_min_listeners', '2000',
    'A public pull room becomes a cdn room (its crowd reads per-slot files from Storage''s CDN) '
    'from this many present listeners.'),
  ('realtime_cdn_exit_listeners', '1500',
    'A cdn room goes back to pull at this many present listeners '
    '(below realtime_cdn_min_listeners, so it does not flap).'),
  ('realtime_cdn_slot_ms', '500',
    'How often a cdn room''s frame file is cut (ms): each file holds one slot''s entries.'),
  ('realtime_cdn_lag_ms', '300',
    'How long after a slot ends the app fetches its file (ms): the publisher''s cut and upload fit inside it.'),
  ('realtime_cdn_base_url', '""',
    'The public URL of the frames bucket, e.g. https://<ref>.supabase.co/storage/v1/object/public/live-frames; '
    'empty: the cdn lane is off.'),
  ('realtime_cdn_bucket', '"live-frames"', 'The public Storage bucket the publisher writes frame files to.'),
  ('realtime_cdn_publisher_timeout_ms', '3000',
    'The cdn lane is on only while the publisher has stored a whole round within this long; '
    'after it, cdn rooms go back to pull.'),
  ('realtime_cdn_keep_minutes', '10',
    'How long frame files (and their rows) are kept before the publisher deletes them.');

-- storage --------------------------------------------------------------------------------------

-- Public read through the CDN; written only by the service (Storage's S3 keys bypass RLS), so no
-- policy lets a client write it.
insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types) values
  ('live-frames', 'live-frames', true, 1048576, array['application/json'])
on conflict (id) do update
set public = excluded.public, file_size_limit = excluded.file_size_limit,
  allowed_mime_types = excluded.allowed_mime_types;

-- tables ---------------------------------------------------------------------------------------

alter table private.realtime_topics drop constraint realtime_topics_delivery_check;
alter table private.realtime_topics add constraint realtime_topics_delivery_check
  check (delivery in ('push', 'pull', 'cdn'));
alter table private.realtime_topics add column cdn_seq bigint;
comment on column private.realtime_topics.delivery is
  'How the room is served: push (broadcast to subscribers), pull (apps call session_poll), cdn (apps read per-slot files from Storage''s CDN).';
comment on column private.realtime_topics.cdn_seq is
  'A cdn room: the last sequence number a frame file holds (the next file starts after it).';

create table private.cdn_frames (
  topic text not null,  -- no foreign key: a retired topic's files are still deleted when they expire
  slot bigint not null,
  from_seq bigint not null,
  to_seq bigint not null,
  cut_at timestamptz not null default clock_timestamp(),
  uploaded_at timestamptz,
  primary key (topic, slot),
  check (to_seq >= from_seq)
);
comment on table private.cdn_frames is
  'Each frame file cut for a cdn room: the slot it is named for and the log range it holds; kept realtime_cdn_keep_minutes.';
comment on column private.cdn_frames.topic is 'The room''s topic (session:<id>).';
comment on column private.cdn_frames.slot is 'The slot: floor(epoch ms / realtime_cdn_slot_ms) of the interval it closes; the file is <session id>/<slot>.json.';
comment on column private.cdn_frames.from_seq is 'The file holds the entries after this sequence number ...';
comment on column private.cdn_frames.to_seq is '... up to and including this one (equal: an empty frame).';
comment on column private.cdn_frames.cut_at is 'When it was cut.';
comment on column private.cdn_frames.uploaded_at is 'When the publisher stored the file (NULL: not yet, or the upload failed).';
create index cdn_frames_cut_at on private.cdn_frames (cut_at);
alter table private.cdn_frames enable row level security;
-- NOTE: no policies and no grants: written and read by the private cdn_* functions only.

create table private.cdn_lane (
  id boolean primary key default true check (id),
  stored_at timestamptz not null
);
comment on table private.cdn_lane is
  'One row: when the publisher last completed a round with every file stored (the cdn lane is on while that is recent).';
comment on column private.cdn_lane.id is 'Always true: one row.';
comment on column private.cdn_lane.stored_at is 'When private.cdn_alive was last called.';
alter table private.cdn_lane enable row level security;
-- NOTE: no policies and no grants: written by private.cdn_alive, read by private.cdn_ready.

-- functions ------------------------------------------------------------------------------------

create function private.cdn_slot(p_at timestamptz) returns bigint
language plpgsql stable
set search_path = ''
as $$
begin
  return floor(extract(epoch from p_at) * 1000 / (hidden.setting('realtime_cdn_slot_ms'))::integer)::bigint;
end
$$;
comment on function private.cdn_slot(timestamptz) is 'The cdn slot p_at falls in: floor(epoch ms / realtime_cdn_slot_ms).';

create function private.cdn_ready() returns boolean
language plpgsql stable
set search_path = ''
as $$
begin
  return coalesce((hidden.setting('realtime_cdn_base_url')) #>> '{}', '') <> ''
    and exists (
      select 1 from private.cdn_lane as l
      where l.stored_at > clock_timestamp()
        - make_interval(secs => (hidden.setting('realtime_cdn_publisher_timeout_ms'))::integer / 1000.0)
    );
end
$$;
comment on function private.cdn_ready() is
  'Whether the cdn lane works: its base URL is set and the publisher has stored every file of a round within realtime_cdn_publisher_timeout_ms.';

create function private.cdn_delivery(p_session_id uuid, p_mode text) returns jsonb
language plpgsql stable
set search_path = ''
as $$
begin
  if p_mode is distinct from 'cdn' then
    return null;
  end if;
  return jsonb_build_object(
    'url', ((hidden.setting('realtime_cdn_base_url')) #>> '{}') || '/' || p_session_id,
    'slot_ms', (hidden.setting('realtime_cdn_slot_ms'))::integer,
    'lag_ms', (hidden.setting('realtime_cdn_lag_ms'))::integer,
    'slot', private.cdn_slot(clock_timestamp()),
    'server_ms', (extract(epoch from clock_timestamp()) * 1000)::bigint
  );
end
$$;
comment on function private.cdn_delivery(uuid, text) is
  'A cdn room''s reading instructions: {url (files are <url>/<slot>.json), slot_ms, lag_ms, slot (the slot in progress: read it and on), server_ms (the server clock, to place slots on the app''s)}; NULL in other modes.';

drop function private.rt_target_delivery(text, integer);
create function private.rt_target_delivery(p_current text, p_listeners integer, p_cdn boolean) returns text
language plpgsql stable
set search_path = ''
as $$
begin
  -- Hysteresis at both thresholds: push -> pull from realtime_pull_min_listeners, back at
  -- realtime_push_max_listeners; pull -> cdn (a public room while the lane works) from
  -- realtime_cdn_min_listeners, back at realtime_cdn_exit_listeners.
  if p_cdn and (p_listeners >= (hidden.setting('realtime_cdn_min_listeners'))::integer
      or (p_current = 'cdn' and p_listeners > (hidden.setting('realtime_cdn_exit_listeners'))::integer)) then
    return 'cdn';
  end if;
  return case
    when p_current in ('pull', 'cdn') then
      case when p_listeners <= (hidden.setting('realtime_push_max_listeners'))::integer then 'push' else 'pull' end
    when p_listeners >= (hidden.setting('realtime_pull_min_listeners'))::integer then 'pull'
    else 'push'
  end;
end
$$;
comment on function private.rt_target_delivery(text, integer, boolean) is
  'The delivery mode a room in mode p_current with p_listeners present listeners should be in; p_cdn: the room may use the cdn lane (public, and the lane works).';

create or replace function private.rt_refresh_delivery() returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_poll_ms integer := (hidden.setting('realtime_poll_ms'))::integer;
  v_budget double precision := (hidden.setting('realtime_poll_budget_per_second'))::double precision;
  v_cdn boolean := private.cdn_ready();
  v_pollers bigint;
  v_room record;
  v_seq bigint;
  v_switched integer := 0;
begin
  -- Polls the project would take at the base interval; beyond the budget every pull room slows
  -- alike. A cdn room's apps read the CDN, not the database.
  select coalesce(sum(s.foreground_count), 0) into v_pollers
  from public.dj_sessions as s
  join private.realtime_topics as t on t.topic = 'session:' || s.id
  where s.status = 'live'
    and private.rt_target_delivery(t.delivery, s.listener_count, v_cdn and s.visibility = 'public') = 'pull';
  v_poll_ms := greatest(v_poll_ms, ceil(1000.0 * v_pollers / greatest(v_budget, 1))::integer);
  for v_room in
    select r.* from (
      select t.topic, t.session_id, t.delivery, t.subscribers, t.poll_ms,
        private.rt_target_delivery(t.delivery, s.listener_count, v_cdn and s.visibility = 'public') as target,
        s.foreground_count
      from public.dj_sessions as s
      join private.realtime_topics as t on t.topic = 'session:' || s.id
      where s.status = 'live'
    ) as r
    where r.delivery <> r.target
      or r.subscribers <> case when r.target = 'push' then r.foreground_count else 0 end
      or (r.target <> 'push' and r.poll_ms <> v_poll_ms)
  loop
    -- A room busy right now (an emitter holds its row) is decided on the next run.
    perform 1 from private.realtime_topics as t where t.topic = v_room.topic for update skip locked;
    if not found then
      continue;
    end if;
    v_seq := null;
    if v_room.delivery <> v_room.target then
      -- Said in the old mode (push subscribers hear it; pollers and frame readers read it),
      -- numbered like any event. A cdn room's first file starts at this event.
      v_seq := private.rt_broadcast(v_room.topic, 'delivery', jsonb_build_object(
        'mode', v_room.target, 'poll_ms', case when v_room.target <> 'push' then v_poll_ms end,
        'cdn', private.cdn_delivery(v_room.session_id, v_room.target)
      ), v_room.subscribers, v_room.delivery = 'push');
      v_switched := v_switched + 1;
    end if;
    update private.realtime_topics as t
    set delivery = v_room.target,
      subscribers = case when v_room.target = 'push' then v_room.foreground_count else 0 end,
      poll_ms = case when v_room.target <> 'push' then v_poll_ms else t.poll_ms end,
      cdn_seq = case when v_room.target <> 'cdn' then null when v_seq is not null then v_seq - 1 else t.cdn_seq end
    where t.topic = v_room.topic;
  end loop;
  return v_switched;
end
$$;
comment on function private.rt_refresh_delivery() is
  'Every flush: set each live room''s delivery mode from its listener count, visibility and whether the cdn lane works (rt_target_delivery), its subscribers (push: foreground members; otherwise none) and its poll interval (realtime_poll_ms, stretched when the project''s pollers would exceed realtime_poll_budget_per_second; a cdn room keeps it for its apps'' fallback); a room that changes mode says so with a `delivery` event (in cdn: with the reading instructions). Returns how many rooms switched.';

create function private.cdn_frame_body(p_topic text, p_slot bigint, p_from bigint, p_to bigint, p_max integer)
returns text
language plpgsql stable
set search_path = ''
as $$
declare
  v_events json;
begin
  if p_to - p_from <= p_max then
    select coalesce(json_agg(l.payload order by l.seq), '[]') into v_events
    from private.realtime_log as l where l.topic = p_topic and l.seq > p_from and l.seq <= p_to;
  end if;
  -- Past p_max entries (the publisher was away): no events; the app polls, which tells it to
  -- take a snapshot if it is that far behind.
  return json_build_object('v', 1, 'topic', p_topic, 'slot', p_slot, 'from_seq', p_from, 'to_seq', p_to,
    'events', coalesce(v_events, '[]'), 'resync_needed', v_events is null)::text;
end
$$;
comment on function private.cdn_frame_body(text, bigint, bigint, bigint, integer) is
  'A frame file''s JSON: {v, topic, slot, from_seq, to_seq, events (the log entries in (from_seq, to_seq], as stored), resync_needed (more than p_max: none carried, poll instead)}.';

create function private.cdn_cut() returns table (topic text, slot bigint, bucket text, object_key text, body text)
language plpgsql
set search_path = ''
as $$
declare
  v_slot bigint := private.cdn_slot(clock_timestamp()) - 1;  -- the slot that has just ended
  v_max integer := (hidden.setting('realtime_poll_catchup_max'))::integer;
  v_bucket text := (hidden.setting('realtime_cdn_bucket')) #>> '{}';
  v_room record;
  v_to bigint;
begin
  -- One cutter at a time, whichever service instance calls (the others return nothing).
  if not pg_try_advisory_xact_lock(hashtextextended('private.cdn_cut', 0)) then
    return;
  end if;
  for v_room in
    select t.topic, t.session_id, t.cdn_seq, t.last_seq,
      (select max(f.slot) from private.cdn_frames as f where f.topic = t.topic) as cut_slot
    from private.realtime_topics as t
    where t.delivery = 'cdn' and t.cdn_seq is not null
  loop
    if v_room.cut_slot >= v_slot then
      continue;
    end if;
    -- last_seq was read from committed rows: every entry up to it is in the log. An emitter
    -- holding the row now only delays this update; its entry goes in the next file.
    v_to := greatest(v_room.last_seq, v_room.cdn_seq);
    update private.realtime_topics as t set cdn_seq = v_to where t.topic = v_room.topic;
    -- A round that came late (a slow upload, a busy machine) also cuts the slots it missed, up
    -- to three, as empty files before this one: an app reading slot after slot finds each.
    for slot in
      select s from generate_series(greatest(coalesce(v_room.cut_slot + 1, v_slot), v_slot - 3), v_slot) as s
    loop
      insert into private.cdn_frames (topic, slot, from_seq, to_seq)
      values (v_room.topic, slot, v_room.cdn_seq, case when slot = v_slot then v_to else v_room.cdn_seq end);
      topic := v_room.topic;
      bucket := v_bucket;
      object_key := v_room.session_id || '/' || slot || '.json';
      body := private.cdn_frame_body(v_room.topic, slot, v_room.cdn_seq,
        case when slot = v_slot then v_to else v_room.cdn_seq end, v_max);
      return next;
    end loop;
  end loop;
end
$$;
comment on function private.cdn_cut() is
  'Called by the publisher every realtime_cdn_slot_ms: for each cdn room, the file of the slot that has just ended (the log entries since its last file; empty ones too, so every slot''s file exists, and up to three slots a late round missed, empty, before it), recorded in private.cdn_frames. Returns {topic, slot, bucket, object_key, body} to upload. One caller at a time; a slot is cut once.';

create function private.cdn_alive() returns void
language plpgsql
set search_path = ''
as $$
begin
  insert into private.cdn_lane (id, stored_at) values (true, clock_timestamp())
  on conflict (id) do update set stored_at = excluded.stored_at;
end
$$;
comment on function private.cdn_alive() is
  'The publisher stored every file of its round (or its probe, with no cdn room): the lane stays on for realtime_cdn_publisher_timeout_ms.';

create function private.cdn_uploaded(p_topic text, p_slot bigint) returns void
language plpgsql
set search_path = ''
as $$
begin
  update private.cdn_frames as f set uploaded_at = clock_timestamp()
  where f.topic = p_topic and f.slot = p_slot and f.uploaded_at is null;
end
$$;
comment on function private.cdn_uploaded(text, bigint) is 'The publisher stored a frame''s file.';

create function private.cdn_expired(p_limit integer)
returns table (topic text, slot bigint, bucket text, object_key text)
language plpgsql stable
set search_path = ''
as $$
begin
  return query
  select f.topic, f.slot, (hidden.setting('realtime_cdn_bucket')) #>> '{}',
    substr(f.topic, length('session:') + 1) || '/' || f.slot || '.json'
  from private.cdn_frames as f
  where f.cut_at < clock_timestamp() - make_interval(mins => (hidden.setting('realtime_cdn_keep_minutes'))::integer)
  order by f.cut_at
  limit p_limit;
end
$$;
comment on function private.cdn_expired(integer) is
  'Up to p_limit frame files older than realtime_cdn_keep_minutes, oldest first: the publisher deletes them, then calls cdn_forget.';

create function private.cdn_forget(p_topics text[], p_slots bigint[]) returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_n integer;
begin
  delete from private.cdn_frames as f
  using unnest(p_topics, p_slots) as gone(topic, slot)
  where f.topic = gone.topic and f.slot = gone.slot;
  get diagnostics v_n = row_count;
  return v_n;
end
$$;
comment on function private.cdn_forget(text[], bigint[]) is 'Forget frames whose files the publisher deleted; returns how many.';

-- readers and emitters that tell a crowd from a push room --------------------------------------

create or replace function private.rt_emit(p_session_id uuid, p_event text, p_data jsonb, p_high_frequency boolean)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_topic text := 'session:' || p_session_id;
  v_mode text;
  v_row private.realtime_topics;
begin
  select t.delivery into v_mode from private.realtime_topics as t where t.topic = v_topic;
  if p_high_frequency and v_mode in ('pull', 'cdn') then
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
    -- is there, never waiting for one), logged for a crowd's next poll or file.
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
  'Emit a room event. At-once events (p_high_frequency false) go out now in every room: broadcast in push mode, logged for polls and files in pull and cdn mode. High-frequency ones are broadcast now in a push room with budget, else wait for the next tick; in a crowd (pull, cdn) they wait for the next frame, and chat lines and new requests also go to the staff lane.';

create or replace function hidden.room_snapshot(p_session_id uuid) returns json
language plpgsql security definer
set search_path = ''
as $$
declare
  v_snap private.room_snapshots := hidden.room_state(p_session_id);
  v_uid uuid := auth.uid();
  v_topic private.realtime_topics;
  v_chat json := v_snap.chat;
begin
  select * into v_topic from private.realtime_topics as t where t.topic = 'session:' || p_session_id;
  if exists (select 1 from public.blocks as k where k.blocker_id = v_uid or k.blocked_id = v_uid) then
    select coalesce(json_agg(m.value order by m.n), '[]') into v_chat
    from json_array_elements(v_snap.chat) with ordinality as m(value, n)
    where not hidden.blocked_between(v_uid, (m.value ->> 'author_id')::uuid);
  end if;
  return json_build_object(
    'seq', v_snap.seq, 'server_time', clock_timestamp(),
    'delivery', json_build_object('mode', coalesce(v_topic.delivery, 'push'),
      'poll_ms', case when v_topic.delivery in ('pull', 'cdn') then v_topic.poll_ms end,
      'cdn', private.cdn_delivery(p_session_id, v_topic.delivery)),
    'session', v_snap.session, 'now_playing', v_snap.now_playing, 'queue', v_snap.queue,
    'chat', v_chat, 'listeners', v_snap.listeners
  );
end
$$;
comment on function hidden.room_snapshot(uuid) is
  'Implementation of session_snapshot: the room''s kept snapshot, with the live delivery mode (push for a retired topic; in cdn, how to read the files) and the caller''s blocks applied.';
