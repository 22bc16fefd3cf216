-- FUNCTION: rt_tick_data(uuid, jsonb, integer)
CREATE FUNCTION private.rt_tick_data(p_session_id uuid, p_events jsonb, p_chat_limit integer) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
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

-- COMMENT: FUNCTION rt_tick_data(p_session_id uuid, p_events jsonb, p_chat_limit integer)
COMMENT ON FUNCTION private.rt_tick_data(p_session_id uuid, p_events jsonb, p_chat_limit integer) IS 'Coalesce a room''s waiting events (in arrival order) into one tick of current state, bounded whatever the load: chat still visible (sampled past p_chat_limit, priority kept), the items added or changed (top first, at most twice realtime_tick_top_items), tallies of the top items voted on, the top''s order, the listener count, reaction counts, the latest skip-vote progress, and every other event in order; counts of what was left out.';

-- ACL: FUNCTION rt_tick_data(p_session_id uuid, p_events jsonb, p_chat_limit integer)
REVOKE ALL ON FUNCTION private.rt_tick_data(p_session_id uuid, p_events jsonb, p_chat_limit integer) FROM PUBLIC;
