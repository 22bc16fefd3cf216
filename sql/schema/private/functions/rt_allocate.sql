-- FUNCTION: rt_allocate()
CREATE FUNCTION private.rt_allocate() RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_max double precision;
  v_budget double precision := 60 * (hidden.setting('realtime_project_messages_per_second'))::double precision
    * (hidden.setting('realtime_safety_factor'))::double precision;
  v_floor double precision;
  v_weight double precision;
  v_burst double precision;
  v_rooms integer;
  v_listeners bigint;
  v_room record;
  v_extra double precision;
  v_topics text[] := '{}'::text[];
  v_quotas double precision[] := '{}'::double precision[];
begin
  -- One allocator at a time (pg_cron and the service may both flush); the other just sends ticks.
  if not pg_try_advisory_xact_lock(hashtextextended('whatssound:realtime_allocate', 0)) then
    return;
  end if;
  select coalesce(sum(t.subscribers + 1) filter (where t.delivery = 'push'), 0),
    count(*) filter (where t.delivery = 'push'), coalesce(sum(s.listener_count), 0)
  into v_weight, v_rooms, v_listeners
  from public.dj_sessions as s join private.realtime_topics as t on t.topic = 'session:' || s.id
  where s.status = 'live';
  perform private.rt_account((v_weight - v_rooms)::bigint, v_listeners);
  v_max := (select p.listener_budget from private.rt_pacing() as p);
  v_floor := least(3, v_max);  -- one broadcast, then one every 20 s
  if v_floor * v_weight > v_budget then
    v_floor := v_budget / v_weight;  -- beyond any plan's connection limit: share equally per subscriber
  end if;
  v_budget := v_budget - v_floor * v_weight;
  -- Bursts share what the safety factor leaves of one second: with every bucket full and every
  -- room refilling at its quota, a second carries at most L (while push rooms hold fewer than
  -- (1 - safety) x L subscribers in all: 500 at L = 2,500; beyond, a burst is one broadcast).
  v_burst := greatest(1, (1 - (hidden.setting('realtime_safety_factor'))::double precision)
    * (hidden.setting('realtime_project_messages_per_second'))::double precision / greatest(v_weight, 1));
  -- Every push room gets the floor; the rest of the budget (in delivered messages) is shared
  -- equally between them, each taking at most what lifts it to the paced budget, fewest
  -- subscribers first (a broadcast costs subscribers + 1). Pull rooms are not broadcast to.
  for v_room in
    select t.topic, t.subscribers + 1 as weight from public.dj_sessions as s
    join private.realtime_topics as t on t.topic = 'session:' || s.id
    where s.status = 'live' and t.delivery = 'push' order by t.subscribers, t.topic
  loop
    v_extra := least(v_max - v_floor, v_budget / v_rooms / v_room.weight);
    v_budget := greatest(v_budget - v_extra * v_room.weight, 0);
    v_rooms := v_rooms - 1;
    v_topics := v_topics || v_room.topic;
    v_quotas := v_quotas || (v_floor + v_extra);
  end loop;
  -- A room busy right now (an emitter or another flusher holds its row) keeps its quota until the
  -- next run: waiting here would stall every other room's tick.
  update private.realtime_topics as t
  set quota = a.quota, capacity = b.capacity, rate = b.rate, tokens = least(t.tokens, b.capacity)
  from unnest(v_topics, v_quotas) as a(topic, quota)
  cross join lateral (
    select least(private.rt_capacity(a.quota), v_burst) as capacity, private.rt_refill(a.quota) as rate
  ) as b
  where t.topic = a.topic and (t.quota, t.capacity, t.rate) is distinct from (a.quota, b.capacity, b.rate)
    and t.topic in (
      select l.topic from private.realtime_topics as l where l.topic = any (v_topics) for update skip locked
    );
end
$$;

-- COMMENT: FUNCTION rt_allocate()
COMMENT ON FUNCTION private.rt_allocate() IS 'Account usage, then share the project''s per-minute budget between live push rooms (a floor for all, then equal shares of delivered messages, fewest subscribers first, capped at the paced listener budget) and set each room''s quota, refill rate and bucket capacity (bursts together within what the safety factor leaves of a second).';

-- ACL: FUNCTION rt_allocate()
REVOKE ALL ON FUNCTION private.rt_allocate() FROM PUBLIC;
