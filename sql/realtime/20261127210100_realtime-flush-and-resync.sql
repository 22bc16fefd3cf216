/*
 * realtime-flush-and-resync: the tick flusher, resync RPCs, and who may join which topic.
 *
 * realtime_flush() runs every second (the service's periodic task locally; pg_cron on hosted
 * Supabase). Each run (1) re-allocates every live room's quota from the project budget
 * (rt_allocate, see realtime-outbox); (2) sends one `tick` per room that has waiting events and a
 * token. Rooms are claimed with SKIP LOCKED: concurrent or repeated runs never double-send or
 * wait on each other, and a run that finds nothing to do changes nothing.
 */

create function private.rt_allocate() returns void
language plpgsql volatile
set search_path = ''
as $$
declare
  v_max double precision;
  v_budget double precision := 60 * (hidden.setting('realtime_project_messages_per_second'))::double precision
    * (hidden.setting('realtime_safety_factor'))::double precision;
  v_floor double precision;
  v_weight double precision;
  v_rooms integer;
  v_room record;
  v_extra double precision;
  v_topics text[] := '{}'::text[];
  v_quotas double precision[] := '{}'::double precision[];
begin
  -- One allocator at a time (pg_cron and the service may both flush); the other just sends ticks.
  if not pg_try_advisory_xact_lock(hashtextextended('whatssound:realtime_allocate', 0)) then
    return;
  end if;
  select coalesce(sum(s.listener_count + 1), 0), count(*) into v_weight, v_rooms
  from public.dj_sessions as s where s.status = 'live';
  perform private.rt_account((v_weight - v_rooms)::bigint);
  v_max := (select p.listener_budget from private.rt_pacing() as p);
  v_floor := least(3, v_max);  -- one broadcast, then one every 30 s
  if v_floor * v_weight > v_budget then
    v_floor := v_budget / v_weight;  -- beyond any plan's connection limit: share equally per listener
  end if;
  v_budget := v_budget - v_floor * v_weight;
  -- Every room gets the floor; the rest of the budget (in delivered messages) is shared equally
  -- between rooms, each taking at most what lifts it to B, smallest first: a small room costs
  -- little and gets everything at once; what it leaves goes to the bigger ones, whose listeners
  -- then get fewer, bigger ticks the bigger the room.
  for v_room in
    select s.id, s.listener_count + 1 as weight from public.dj_sessions as s
    where s.status = 'live' order by s.listener_count, s.id
  loop
    v_extra := least(v_max - v_floor, v_budget / v_rooms / v_room.weight);
    v_budget := greatest(v_budget - v_extra * v_room.weight, 0);
    v_rooms := v_rooms - 1;
    v_topics := v_topics || ('session:' || v_room.id);
    v_quotas := v_quotas || (v_floor + v_extra);
  end loop;
  -- A room busy right now (an emitter or another flusher holds its row) keeps its quota until the
  -- next run: waiting here would stall every other room's tick.
  update private.realtime_topics as t
  set quota = a.quota, capacity = b.capacity, rate = b.rate, tokens = least(t.tokens, b.capacity)
  from unnest(v_topics, v_quotas) as a(topic, quota)
  cross join lateral (select private.rt_capacity(a.quota) as capacity, private.rt_refill(a.quota) as rate) as b
  where t.topic = a.topic and (t.quota, t.capacity, t.rate) is distinct from (a.quota, b.capacity, b.rate)
    and t.topic in (
      select l.topic from private.realtime_topics as l where l.topic = any (v_topics) for update skip locked
    );
end
$$;
comment on function private.rt_allocate() is
  'Account usage, then share the project budget between live rooms (a floor for all, then equal shares of '
  'delivered messages, smallest room first, capped at the paced listener budget) and set each room''s quota, '
  'bucket capacity and refill rate.';

create function private.rt_tick_data(p_session_id uuid, p_events jsonb, p_chat_limit integer) returns jsonb
language plpgsql stable
set search_path = ''
as $$
declare
  v_chat jsonb;
  v_total integer;
  v_items uuid[];
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
  select coalesce(array_agg(distinct (e.value -> 'data' ->> 'id')::uuid), '{}') into v_items
  from jsonb_array_elements(p_events) as e where e.value ->> 'event' = 'queue.item';
  return jsonb_build_object(
    'chat', v_chat,
    'chat_omitted', v_total - jsonb_array_length(v_chat),
    'queue', coalesce((
      select jsonb_agg(private.queue_item_event(q) order by q.id)
      from public.queue_items as q where q.id = any (v_items)
    ), '[]'),
    'votes', coalesce((
      select jsonb_agg(jsonb_build_object(
        'item_id', q.id, 'upvotes', q.upvotes, 'downvotes', q.downvotes, 'rank_key', to_jsonb(q.rank_key)
      ) order by q.id)
      from public.queue_items as q
      where q.id in (
        select (e.value -> 'data' ->> 'item_id')::uuid from jsonb_array_elements(p_events) as e
        where e.value ->> 'event' = 'queue.votes'
      ) and q.id <> all (v_items)
    ), '[]'),
    'listeners', (
      select jsonb_build_object('count', s.listener_count, 'peak', s.peak_listener_count)
      from public.dj_sessions as s
      where s.id = p_session_id
        and exists (select 1 from jsonb_array_elements(p_events) as e where e.value ->> 'event' = 'presence.count')
    ),
    'events', coalesce((
      select jsonb_agg(jsonb_build_object('event', e.value ->> 'event', 'data', e.value -> 'data') order by e.n)
      from jsonb_array_elements(p_events) with ordinality as e(value, n)
      where e.value ->> 'event' not in ('chat.message', 'queue.votes', 'queue.item', 'presence.count')
    ), '[]')
  );
end
$$;
comment on function private.rt_tick_data(uuid, jsonb, integer) is
  'Coalesce a room''s waiting events (in arrival order) into one tick of current state: chat still visible '
  '(sampled past p_chat_limit, priority kept), the current state of each queue item and vote tally touched, '
  'the current listener count, and every other event in order.';

create function private.realtime_flush() returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_topic private.realtime_topics;
  v_events jsonb;
  v_ticks integer := 0;
begin
  perform private.rt_allocate();
  for v_topic in
    select t.* from private.realtime_topics as t
    where t.topic like 'session:%' and exists (select 1 from private.realtime_buffer as b where b.topic = t.topic)
    for update of t skip locked
  loop
    if not private.rt_take_token(v_topic) then
      continue;
    end if;
    with taken as (
      delete from private.realtime_buffer as b where b.topic = v_topic.topic
      returning b.id, b.event, b.data
    )
    select coalesce(jsonb_agg(jsonb_build_object('event', taken.event, 'data', taken.data) order by taken.id), '[]')
    into v_events from taken;
    perform private.rt_broadcast(v_topic.topic, 'tick', private.rt_tick_data(
      v_topic.session_id, v_events, (hidden.setting('realtime_chat_per_tick'))::integer
    ), (select s.listener_count from public.dj_sessions as s where s.id = v_topic.session_id));
    update private.realtime_topics as t set pending = 0 where t.topic = v_topic.topic;
    v_ticks := v_ticks + 1;
  end loop;
  return v_ticks;
end
$$;
comment on function private.realtime_flush() is
  'Scheduled every second: re-allocate room budgets, then send one tick per room with waiting events and budget. '
  'Idempotent and safe to run concurrently (SKIP LOCKED). Returns the number of ticks sent.';

create function private.realtime_prune() returns integer
language sql volatile
set search_path = ''
as $$
  with gone as (
    delete from private.realtime_log as l
    where l.created_at < now() - make_interval(hours => (hidden.setting('realtime_log_retention_hours'))::integer)
    returning 1
  )
  select count(*)::integer from gone
$$;
comment on function private.realtime_prune() is 'Scheduled: drop logged events older than the resync retention.';

-- who may read (join) and write (presence) which topic ------------------------------------------

create function hidden.realtime_can_read(p_topic text) returns boolean
language plpgsql stable security definer
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
  v_uid uuid := auth.uid();
  v_session public.dj_sessions;
begin
  if v_uid is null or p_topic is null then
    return false;
  elsif p_topic like 'user:%' then
    return p_topic = 'user:' || v_uid;
  end if;
  select * into v_session from public.dj_sessions as s where s.id = private.rt_topic_session(p_topic);
  if v_session.id is null then
    return false;
  elsif v_session.dj_id = v_uid
    or exists (select 1 from public.dj_moderators as d where d.dj_id = v_session.dj_id and d.user_id = v_uid)
    or hidden.is_staff() then
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
  'from or blocked by its DJ (public: any signed-in user; followers: followers and members; private: members).';
grant execute on function hidden.realtime_can_read(text) to authenticated;

create function hidden.realtime_can_track(p_topic text) returns boolean
language sql stable security definer
set search_path = ''
as $$
  select hidden.realtime_can_read(p_topic)
    and exists (
      select 1 from public.dj_sessions as s
      where s.id = private.rt_topic_session(p_topic)
        and s.listener_count <= (hidden.setting('realtime_presence_max_listeners'))::integer
    )
$$;
comment on function hidden.realtime_can_track(text) is
  'Whether the caller may send Presence on a topic: session topics they can read, while the room is small.';
grant execute on function hidden.realtime_can_track(text) to authenticated;

create policy "Listeners receive the topics they may see" on realtime.messages
  for select to authenticated using (
    (
      realtime.messages.extension = 'broadcast'
      or (realtime.messages.extension = 'presence' and (select realtime.topic()) like 'session:%')
    )
    and (select hidden.realtime_can_read((select realtime.topic())))
  );
create policy "Members track presence in small rooms only" on realtime.messages
  for insert to authenticated with check (
    realtime.messages.extension = 'presence'
    and (select hidden.realtime_can_track((select realtime.topic())))
  );
-- NOTE: no policy lets a client broadcast: every broadcast comes from the database.

-- resync ---------------------------------------------------------------------------------------

create function hidden.events_since(p_topic text, p_after_seq bigint, p_limit integer) returns json
language plpgsql stable security definer
set search_path = ''
as $$
declare
  v_limit integer := least(greatest(coalesce(p_limit, 100), 1), 500);
  v_rows json;
  v_last bigint;
  v_oldest bigint;
begin
  if not hidden.realtime_can_read(p_topic) then
    raise exception 'You cannot read this topic.' using errcode = '42501', hint = 'Join the session first.';
  end if;
  select t.last_seq into v_last from private.realtime_topics as t where t.topic = p_topic;
  select min(l.seq) into v_oldest from private.realtime_log as l where l.topic = p_topic;
  select coalesce(json_agg(l.payload order by l.seq), '[]') into v_rows
  from (
    select l.payload, l.seq from private.realtime_log as l
    where l.topic = p_topic and l.seq > coalesce(p_after_seq, 0)
    order by l.seq limit v_limit
  ) as l;
  return json_build_object(
    'events', v_rows,
    'last_seq', coalesce(v_last, 0),
    'has_more', coalesce(v_last, 0) > coalesce(p_after_seq, 0) + json_array_length(v_rows),
    'resync_needed', v_oldest is not null and coalesce(p_after_seq, 0) + 1 < v_oldest
  );
end
$$;
comment on function hidden.events_since(text, bigint, integer) is 'Implementation of session_events_since / my_events_since.';
grant execute on function hidden.events_since(text, bigint, integer) to authenticated;

create function public.session_events_since(p_session_id uuid, p_after_seq bigint, p_limit integer default 100)
returns json
language sql stable
set search_path = ''
as $$ select hidden.events_since('session:' || p_session_id, p_after_seq, p_limit) $$;
comment on function public.session_events_since(uuid, bigint, integer) is
  E'What a room broadcast after p_after_seq, in order (at most p_limit, max 500): {events, last_seq, has_more, '
  'resync_needed}. Call it when a broadcast''s seq is not your last seq + 1; page while has_more; if '
  'resync_needed (the gap is older than the retention), call session_snapshot instead.\n'
  'Errors: 42501 you cannot see this session.\n'
  'Example: const { data } = await supabase.rpc(''session_events_since'', { p_session_id: id, p_after_seq: lastSeq })';
grant execute on function public.session_events_since(uuid, bigint, integer) to authenticated;

create function public.my_events_since(p_after_seq bigint, p_limit integer default 100) returns json
language sql stable
set search_path = ''
as $$ select hidden.events_since('user:' || hidden.require_user(), p_after_seq, p_limit) $$;
comment on function public.my_events_since(bigint, integer) is
  E'Your personal events (user:<you>) after p_after_seq: {events, last_seq, has_more, resync_needed}.\n'
  'Errors: 42501 (HTTP 401) without a signed-in user.\n'
  'Example: const { data } = await supabase.rpc(''my_events_since'', { p_after_seq: lastSeq })';
grant execute on function public.my_events_since(bigint, integer) to authenticated;

create function hidden.topic_seq(p_topic text) returns bigint
language sql stable security definer
set search_path = ''
as $$
  select coalesce((select t.last_seq from private.realtime_topics as t where t.topic = p_topic), 0)
  where hidden.realtime_can_read(p_topic)
$$;
comment on function hidden.topic_seq(text) is 'The last sequence number of a topic the caller may read (NULL otherwise).';
grant execute on function hidden.topic_seq(text) to authenticated;

create function public.session_snapshot(p_session_id uuid) returns json
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
  E'Everything a joining (or resyncing) client needs in one call: {seq, server_time, session, now_playing, queue '
  '(top 50), chat (latest 50 you may see, oldest first), listeners {count, peak}}. Subscribe to session:<id> '
  'first, then apply only broadcasts with seq > snapshot.seq.\n'
  'Errors: P0002 no such session or not visible.\n'
  'Example: const { data: snap } = await supabase.rpc(''session_snapshot'', { p_session_id: id })';
grant execute on function public.session_snapshot(uuid) to authenticated;
