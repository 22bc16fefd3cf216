-- FUNCTION: rt_refresh_delivery()
CREATE FUNCTION private.rt_refresh_delivery() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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

-- COMMENT: FUNCTION rt_refresh_delivery()
COMMENT ON FUNCTION private.rt_refresh_delivery() IS 'Every flush: set each live room''s delivery mode from its listener count, visibility and whether the cdn lane works (rt_target_delivery), its subscribers (push: foreground members; otherwise none) and its poll interval (realtime_poll_ms, stretched when the project''s pollers would exceed realtime_poll_budget_per_second; a cdn room keeps it for its apps'' fallback); a room that changes mode says so with a `delivery` event (in cdn: with the reading instructions). Returns how many rooms switched.';

-- ACL: FUNCTION rt_refresh_delivery()
REVOKE ALL ON FUNCTION private.rt_refresh_delivery() FROM PUBLIC;
