-- FUNCTION: realtime_flush()
CREATE FUNCTION private.realtime_flush() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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

-- COMMENT: FUNCTION realtime_flush()
COMMENT ON FUNCTION private.realtime_flush() IS 'Scheduled every second: account and re-allocate budgets, decide each room''s mode, then turn each topic''s waiting events (at most realtime_tick_max_events / _bytes) into one tick: broadcast for push rooms with budget and staff lanes, logged for pull rooms'' polls. Idempotent and safe to run concurrently (SKIP LOCKED). Returns the number of ticks.';

-- ACL: FUNCTION realtime_flush()
REVOKE ALL ON FUNCTION private.realtime_flush() FROM PUBLIC;
