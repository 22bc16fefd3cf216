-- FUNCTION: rt_staff_event(uuid, text, jsonb)
CREATE FUNCTION private.rt_staff_event(p_session_id uuid, p_event text, p_data jsonb) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_topic text := 'staff:' || p_session_id;
  v_quota double precision;
  v_row private.realtime_topics;
begin
  perform 1 from private.realtime_topics as t where t.topic = v_topic;
  if not found then  -- the lane's own budget, set when it is first used
    v_quota := (hidden.setting('realtime_staff_per_minute'))::double precision;
    insert into private.realtime_topics (topic, session_id, quota, capacity, rate, tokens, refilled_at)
    values (v_topic, p_session_id, v_quota, private.rt_capacity(v_quota), private.rt_refill(v_quota),
      private.rt_capacity(v_quota), private.rt_now())
    on conflict (topic) do nothing;
  end if;
  -- Never wait for the lane: every chat line and request of a crowd comes here, and a lane that
  -- another transaction is sending on right now would serialise the room. Then the item joins
  -- the lane's next tick (within a second), every item kept.
  select * into v_row from private.realtime_topics as t where t.topic = v_topic for update skip locked;
  if v_row.topic is not null and v_row.pending = 0 and private.rt_take_token(v_row) then
    perform private.rt_broadcast(v_topic, p_event, p_data, private.rt_team_count(p_session_id), true);
    return;
  end if;
  insert into private.realtime_buffer (topic, event, data) values (v_topic, p_event, p_data);
  if v_row.topic is not null then
    update private.realtime_topics as t set pending = t.pending + 1 where t.topic = v_topic;
  end if;
end
$$;

-- COMMENT: FUNCTION rt_staff_event(p_session_id uuid, p_event text, p_data jsonb)
COMMENT ON FUNCTION private.rt_staff_event(p_session_id uuid, p_event text, p_data jsonb) IS 'Send an event to the room''s staff lane (staff:<session>: the DJ, co-hosts, the DJ''s moderators, staff) at once; in its next tick when the lane is over its budget (realtime_staff_per_minute) or busy sending (never waits).';

-- ACL: FUNCTION rt_staff_event(p_session_id uuid, p_event text, p_data jsonb)
REVOKE ALL ON FUNCTION private.rt_staff_event(p_session_id uuid, p_event text, p_data jsonb) FROM PUBLIC;
