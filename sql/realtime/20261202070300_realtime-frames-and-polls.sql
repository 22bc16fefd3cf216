/*
 * realtime-frames-and-polls: the flusher's ticks and frames, the crowd's poll, and resync.
 *
 * Every second the flusher (1) accounts usage and sets push rooms' budgets (rt_allocate), (2)
 * decides each room's mode (rt_refresh_delivery), then (3) turns each room's waiting events into
 * one `tick` of current state: broadcast in a push room (when it has a token), logged for polls in
 * a pull room (a "frame"), broadcast whole on a staff lane. A flush costs the same whatever the
 * backlog: it takes at most realtime_tick_max_events events (and realtime_tick_max_bytes of them)
 * per room; what is left waits for the next second. A tick is bounded whatever the load: at most
 * realtime_chat_per_tick chat lines (priority kept, the rest counted and fetchable with
 * chat_since), the top realtime_tick_top_items of the queue, and counts for the rest.
 *
 * session_poll is what an app in a pull room calls every poll_ms: the room's entries after its
 * last sequence number (at once events, frames), read by key and returned as stored (no JSON is
 * rebuilt), plus the room's mode and interval and the caller's personal sequence number. Reading a
 * room is membership (one primary-key lookup); everything that takes that right away ends it.
 */

-- ticks ----------------------------------------------------------------------------------------

create or replace function private.rt_tick_data(p_session_id uuid, p_events jsonb, p_chat_limit integer)
returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  v_top_n integer := (hidden.setting('realtime_tick_top_items'))::integer;
  v_chat jsonb;
  v_total integer;
  v_touched uuid[];
  v_voted uuid[];
  v_top uuid[];
  v_queue jsonb;
  v_queue_total integer;
begin
  -- A tick carries current state, not the buffered snapshots: an event sent at once after the
  -- buffered ones (a request played, a message deleted) is never undone by the older tick.
  select coalesce(jsonb_agg(e.value -> 'data' order by e.n), '[]') into v_chat
  from jsonb_array_elements(p_events) with ordinality as e(value, n)
  join public.chat_messages as c on c.id = (e.value -> 'data' ->> 'id')::uuid and c.status = 'visible'
  where e.value ->> 'event' = 'chat.message';
  v_total := jsonb_array_length(v_chat);
  if v_total > p_chat_limit then
    -- Keep every priority message (the DJ, moderators, mentions of the DJ), then an even sample.
    with indexed as (
      select m.value as msg, m.i, coalesce((m.value ->> 'priority')::boolean, false) as priority
      from jsonb_array_elements(v_chat) with ordinality as m(value, i)
    ), ranked as (
      select x.msg, x.i, x.priority,
        row_number() over (partition by x.priority order by (x.i * 2654435761) % 4294967291, x.i) as pick
      from indexed as x
    )
    select coalesce(jsonb_agg(r.msg order by r.i), '[]') into v_chat from ranked as r
    where r.priority or r.pick <= greatest(p_chat_limit - (select count(*) from indexed as p where p.priority), 0);
  end if;
  select coalesce(array_agg(distinct (e.value -> 'data' ->> 'id')::uuid), '{}') into v_touched
  from jsonb_array_elements(p_events) as e where e.value ->> 'event' = 'queue.item';
  select coalesce(array_agg(distinct (e.value -> 'data' ->> 'item_id')::uuid), '{}') into v_voted
  from jsonb_array_elements(p_events) as e where e.value ->> 'event' = 'queue.votes';
  if cardinality(v_touched) + cardinality(v_voted) > 0 then
    -- The top of the queue in order, read from the rank index: what a crowd looks at.
    select coalesce(array_agg(q.id order by q.rank_key, q.id), '{}') into v_top
    from (
      select qi.id, qi.rank_key from public.queue_items as qi
      where qi.session_id = p_session_id and qi.status = 'queued'
      order by qi.rank_key, qi.id limit v_top_n
    ) as q;
  end if;
  -- Items added or changed: those at the top (or no longer queued) first, at most 2 x top.
  select coalesce(jsonb_agg(x.item order by x.id), '[]'), coalesce(max(x.total), 0) into v_queue, v_queue_total
  from (
    select private.queue_item_event(q) as item, q.id, count(*) over () as total,
      row_number() over (order by (q.id = any (v_top) or q.status <> 'queued') desc, q.rank_key, q.id) as pick
    from public.queue_items as q where q.id = any (v_touched)
  ) as x
  where x.pick <= 2 * v_top_n;
  return jsonb_build_object(
    'chat', v_chat,
    'chat_omitted', v_total - jsonb_array_length(v_chat),
    'queue', v_queue,
    'queue_omitted', v_queue_total - jsonb_array_length(v_queue),
    'votes', coalesce((
      select jsonb_agg(jsonb_build_object(
        'item_id', q.id, 'upvotes', q.upvotes, 'downvotes', q.downvotes, 'rank_key', to_jsonb(q.rank_key)
      ) order by q.id)
      from public.queue_items as q
      where q.id = any (v_voted) and q.id = any (v_top) and q.id <> all (v_touched)
    ), '[]'),
    'votes_omitted', (
      select count(*) from unnest(v_voted) as v(id) where v.id <> all (coalesce(v_top, '{}')) and v.id <> all (v_touched)
    ),
    'top', to_jsonb(v_top),
    'listeners', (
      select jsonb_build_object('count', s.listener_count, 'peak', s.peak_listener_count)
      from public.dj_sessions as s
      where s.id = p_session_id
        and exists (select 1 from jsonb_array_elements(p_events) as e where e.value ->> 'event' = 'presence.count')
    ),
    'reactions', (
      select jsonb_object_agg(r.emoji, r.n) from (
        select e.value -> 'data' ->> 'emoji' as emoji, count(*) as n
        from jsonb_array_elements(p_events) as e where e.value ->> 'event' = 'reaction' group by 1
      ) as r
    ),
    'skip', (
      select e.value -> 'data' from jsonb_array_elements(p_events) with ordinality as e(value, n)
      where e.value ->> 'event' = 'queue.skip' order by e.n desc limit 1
    ),
    'events', coalesce((
      select jsonb_agg(jsonb_build_object('event', e.value ->> 'event', 'data', e.value -> 'data') order by e.n)
      from jsonb_array_elements(p_events) with ordinality as e(value, n)
      where e.value ->> 'event' not in ('chat.message', 'queue.votes', 'queue.item', 'presence.count', 'reaction', 'queue.skip')
    ), '[]')
  );
end
$$;
comment on function private.rt_tick_data(uuid, jsonb, integer) is
  'Coalesce a room''s waiting events (in arrival order) into one tick of current state, bounded whatever the load: '
  'chat still visible (sampled past p_chat_limit, priority kept), the items added or changed (top first, at most '
  'twice realtime_tick_top_items), tallies of the top items voted on, the top''s order, the listener count, '
  'reaction counts, the latest skip-vote progress, and every other event in order; counts of what was left out.';

create function private.rt_staff_tick_data(p_events jsonb) returns jsonb
language sql immutable
set search_path = ''
as $$
  -- The staff lane keeps every item: its tick is the waiting events themselves, in order.
  select jsonb_build_object(
    'chat', '[]'::jsonb, 'chat_omitted', 0, 'queue', '[]'::jsonb, 'queue_omitted', 0, 'votes', '[]'::jsonb,
    'votes_omitted', 0, 'top', null, 'listeners', null, 'reactions', null, 'skip', null,
    'events', coalesce(p_events, '[]'::jsonb)
  )
$$;
comment on function private.rt_staff_tick_data(jsonb) is 'A staff lane''s tick: every waiting event, in order, none coalesced.';

-- the flusher ----------------------------------------------------------------------------------

create or replace function private.realtime_flush() returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_max_events integer := (hidden.setting('realtime_tick_max_events'))::integer;
  v_max_bytes bigint := (hidden.setting('realtime_tick_max_bytes'))::bigint;
  v_chat_limit integer := (hidden.setting('realtime_chat_per_tick'))::integer;
  v_topic private.realtime_topics;
  v_staff boolean;
  v_events jsonb;
  v_taken integer;
  v_ticks integer := 0;
begin
  perform private.rt_allocate();
  perform private.rt_refresh_delivery();
  for v_topic in
    -- Topics with waiting events, found by skipping through the buffer's index (one probe per
    -- topic, however long the backlog); a room busy right now is flushed next time.
    with recursive waiting as (
      (select b.topic from private.realtime_buffer as b order by b.topic limit 1)
      union all
      select (select b.topic from private.realtime_buffer as b where b.topic > w.topic order by b.topic limit 1)
      from waiting as w where w.topic is not null
    )
    select t.* from private.realtime_topics as t
    where t.topic in (select w.topic from waiting as w where w.topic is not null)
    for update of t skip locked
  loop
    v_staff := v_topic.topic like 'staff:%';
    if v_topic.delivery = 'push' and not private.rt_take_token(v_topic) then
      continue;  -- a push room (or staff lane) out of budget waits for its next token
    end if;
    -- The oldest waiting events, at most v_max_events and v_max_bytes of them (always one).
    with batch as (
      select b.id, sum(octet_length(b.data::text)) over (order by b.id) as running
      from private.realtime_buffer as b where b.topic = v_topic.topic order by b.id limit v_max_events
    ), taken as (
      delete from private.realtime_buffer as b using batch
      where b.id = batch.id and (batch.running <= v_max_bytes or batch.id = (select min(x.id) from batch as x))
      returning b.id, b.event, b.data
    )
    select jsonb_agg(jsonb_build_object('event', taken.event, 'data', taken.data) order by taken.id), count(*)
    into v_events, v_taken from taken;
    if v_taken = 0 then
      continue;
    end if;
    perform private.rt_broadcast(v_topic.topic, 'tick',
      case when v_staff then private.rt_staff_tick_data(v_events)
        else private.rt_tick_data(v_topic.session_id, v_events, v_chat_limit) end,
      case when v_staff then private.rt_team_count(v_topic.session_id) else v_topic.subscribers end,
      v_topic.delivery = 'push');
    update private.realtime_topics as t set pending = greatest(t.pending - v_taken, 0) where t.topic = v_topic.topic;
    v_ticks := v_ticks + 1;
  end loop;
  return v_ticks;
end
$$;
comment on function private.realtime_flush() is
  'Scheduled every second: account and re-allocate budgets, decide each room''s mode, then turn each topic''s '
  'waiting events (at most realtime_tick_max_events / _bytes) into one tick: broadcast for push rooms with budget '
  'and staff lanes, logged for pull rooms'' polls. Idempotent and safe to run concurrently (SKIP LOCKED). Returns '
  'the number of ticks.';

-- the crowd's poll -----------------------------------------------------------------------------

create function hidden.topic_entries(p_topic text, p_after_seq bigint, p_last_seq bigint, p_limit integer)
returns text
language plpgsql stable security definer
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
  v_after bigint := coalesce(p_after_seq, 0);
  v_events text;
  v_count integer;
  v_first bigint;
  v_last bigint;
begin
  -- The caller has checked read permission. Entries are returned as stored: the envelopes are
  -- concatenated as text, never parsed and rebuilt, so a read costs what it returns.
  if v_after >= p_last_seq then
    return format('"events":[],"last_seq":%s,"has_more":false,"resync_needed":%s', p_last_seq,
      to_json(v_after > p_last_seq));
  end if;
  select string_agg(l.payload::text, ',' order by l.seq), count(*), min(l.seq), max(l.seq)
  into v_events, v_count, v_first, v_last
  from (
    select l.seq, l.payload from private.realtime_log as l
    where l.topic = p_topic and l.seq > v_after
    order by l.seq limit least(greatest(coalesce(p_limit, 100), 1), 500)
  ) as l;
  if v_count = 0 or v_first <> v_after + 1 then
    -- The gap is older than the log (pruned): nothing to page through, take a snapshot.
    return format('"events":[],"last_seq":%s,"has_more":false,"resync_needed":true', p_last_seq);
  end if;
  return format('"events":[%s],"last_seq":%s,"has_more":%s,"resync_needed":false',
    v_events, greatest(v_last, p_last_seq), to_json(v_last < p_last_seq));
end
$$;
comment on function hidden.topic_entries(text, bigint, bigint, integer) is
  'A topic''s logged entries after p_after_seq as the JSON members events (in order, at most p_limit), last_seq, '
  'has_more and resync_needed (the gap is older than the log, or the client is ahead); never has_more without events.';
grant execute on function hidden.topic_entries(text, bigint, bigint, integer) to authenticated;

create function hidden.session_poll(p_session_id uuid, p_after_seq bigint) returns json
language plpgsql stable security definer
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
  v_uid uuid := hidden.require_user();
  v_topic text := 'session:' || p_session_id;
  v_room private.realtime_topics;
  v_me bigint;
  v_after bigint := coalesce(p_after_seq, 0);
  v_body text;
begin
  -- Reading a live room is being in it (a primary-key lookup): leaving, a ban, a block by the DJ
  -- and a platform ban all end the membership. Staff who never joined are checked in full.
  perform 1 from public.session_members as m
  where m.session_id = p_session_id and m.user_id = v_uid and m.left_at is null;
  if not found and not hidden.realtime_can_read(v_topic) then
    raise exception 'You are not in this session.' using errcode = '42501', hint = 'Call join_session first.';
  end if;
  select * into v_room from private.realtime_topics as t where t.topic = v_topic;
  if v_room.topic is null then
    raise exception 'No such session.' using errcode = 'P0002', hint = 'Check the session id.';
  end if;
  select t.last_seq into v_me from private.realtime_topics as t where t.topic = 'user:' || v_uid;
  if v_room.last_seq - v_after > (hidden.setting('realtime_poll_catchup_max'))::integer then
    -- Far behind (back from the background): a snapshot is cheaper than the pages.
    v_body := format('"events":[],"last_seq":%s,"has_more":false,"resync_needed":true', v_room.last_seq);
  else
    v_body := hidden.topic_entries(v_topic, v_after, v_room.last_seq,
      (hidden.setting('realtime_poll_max_events'))::integer);
  end if;
  return format('{%s,"mode":"%s","poll_ms":%s,"me":%s}', v_body, v_room.delivery, v_room.poll_ms,
    coalesce(v_me, 0))::json;
end
$$;
comment on function hidden.session_poll(uuid, bigint) is 'Implementation of public.session_poll (reads the private log).';
grant execute on function hidden.session_poll(uuid, bigint) to authenticated;

create function public.session_poll(p_session_id uuid, p_after_seq bigint) returns json
language sql stable
set search_path = ''
as $$ select hidden.session_poll(p_session_id, p_after_seq) $$;
comment on function public.session_poll(uuid, bigint) is
  E'What a pull room''s app calls every poll_ms (and a push room''s after a gap): the room''s entries after '
  'p_after_seq, in order, as broadcasts would have carried them: {events, last_seq, has_more (call again now), '
  'resync_needed (take session_snapshot), mode (push: subscribe instead), poll_ms, me (your user topic''s last '
  'seq: call my_events_since when it grows)}.\n'
  'Errors: LOGIN; 42501 not in the session (join first); P0002 no such session.\n'
  'Example: const { data } = await supabase.rpc(''session_poll'', { p_session_id: id, p_after_seq: lastSeq }, { get: true })';
grant execute on function public.session_poll(uuid, bigint) to authenticated;

-- resync ---------------------------------------------------------------------------------------

create or replace function hidden.events_since(p_topic text, p_after_seq bigint, p_limit integer) returns json
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_last bigint;
begin
  if not hidden.realtime_can_read(p_topic) then
    raise exception 'You cannot read this topic.' using errcode = '42501', hint = 'Join the session first.';
  end if;
  select t.last_seq into v_last from private.realtime_topics as t where t.topic = p_topic;
  return ('{' || hidden.topic_entries(p_topic, p_after_seq, coalesce(v_last, 0), p_limit) || '}')::json;
end
$$;

-- chat a tick left out -------------------------------------------------------------------------

create function public.chat_since(
  p_session_id uuid, p_after_created_at timestamptz, p_after_id uuid default null, p_limit integer default 100
) returns setof public.chat_messages
language sql stable
set search_path = ''
as $$
  select c.* from public.chat_messages as c
  where c.session_id = p_session_id
    and (c.created_at, c.id) > (p_after_created_at, coalesce(p_after_id, '00000000-0000-0000-0000-000000000000'))
  order by c.created_at, c.id
  limit least(greatest(coalesce(p_limit, 100), 1), 200)
$$;
comment on function public.chat_since(uuid, timestamptz, uuid, integer) is
  E'A session''s chat after a message, oldest first (pass the last message you have; page with the last row): what '
  'a tick counted in chat_omitted. Only what the caller may see, as chat_history.\n'
  'Example: const { data } = await supabase.rpc(''chat_since'', { p_session_id: id, p_after_created_at: last.created_at, p_after_id: last.id })';
grant execute on function public.chat_since(uuid, timestamptz, uuid, integer) to authenticated;

-- the snapshot says how to follow the room -----------------------------------------------------

create function hidden.topic_delivery(p_topic text) returns json
language sql stable security definer
set search_path = ''
as $$
  select json_build_object('mode', t.delivery, 'poll_ms', case when t.delivery = 'pull' then t.poll_ms end)
  from private.realtime_topics as t
  where t.topic = p_topic and hidden.realtime_can_read(p_topic)
$$;
comment on function hidden.topic_delivery(text) is 'How a client follows a topic it may read: {mode, poll_ms} (NULL otherwise).';
grant execute on function hidden.topic_delivery(text) to authenticated;

create or replace function public.session_snapshot(p_session_id uuid) returns json
language plpgsql stable
set search_path = ''
as $$
declare
  v_seq bigint := hidden.topic_seq('session:' || p_session_id);
  v_session public.dj_sessions;
begin
  -- The sequence number is read first, in the same snapshot as the state: apply events with a
  -- higher seq on top of this state and nothing is missed or applied twice.
  select * into v_session from public.dj_sessions as s where s.id = p_session_id;
  if v_session.id is null or v_seq is null then
    raise exception 'No such session (or you cannot see it).' using errcode = 'P0002', hint = 'Check the session id.';
  end if;
  return json_build_object(
    'seq', v_seq,
    'server_time', clock_timestamp(),
    'delivery', hidden.topic_delivery('session:' || p_session_id),
    'session', to_json(v_session),
    'now_playing', (select to_json(n) from public.now_playing(p_session_id) as n where n.item_id is not null),
    'queue', public.queue_top(p_session_id, 50),
    'chat', (
      select coalesce(json_agg(c order by c.created_at, c.id), '[]')
      from public.chat_history(p_session_id, null, null, 50) as c
    ),
    'listeners', json_build_object('count', v_session.listener_count, 'peak', v_session.peak_listener_count)
  );
end
$$;
comment on function public.session_snapshot(uuid) is
  E'Everything a joining (or resyncing) client needs in one call: {seq, server_time, delivery {mode, poll_ms: push = '
  'subscribe to session:<id>, pull = call session_poll every poll_ms}, session (with its pinned announcement), '
  'now_playing, queue (top 50), chat (latest 50 you may see, oldest first), listeners {count, peak}}. Push: '
  'subscribe first, then apply only broadcasts with seq > snapshot.seq; pull: poll from snapshot.seq.\n'
  'Errors: P0002 no such session or not visible.\n'
  'Example: const { data: snap } = await supabase.rpc(''session_snapshot'', { p_session_id: id })';
