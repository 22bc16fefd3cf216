-- FUNCTION: rt_emit(uuid, text, jsonb, boolean)
CREATE FUNCTION private.rt_emit(p_session_id uuid, p_event text, p_data jsonb, p_high_frequency boolean) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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

-- COMMENT: FUNCTION rt_emit(p_session_id uuid, p_event text, p_data jsonb, p_high_frequency boolean)
COMMENT ON FUNCTION private.rt_emit(p_session_id uuid, p_event text, p_data jsonb, p_high_frequency boolean) IS 'Emit a room event. At-once events (p_high_frequency false) go out now in every room: broadcast in push mode, logged for polls and files in pull and cdn mode. High-frequency ones are broadcast now in a push room with budget, else wait for the next tick; in a crowd (pull, cdn) they wait for the next frame, and chat lines and new requests also go to the staff lane.';

-- ACL: FUNCTION rt_emit(p_session_id uuid, p_event text, p_data jsonb, p_high_frequency boolean)
REVOKE ALL ON FUNCTION private.rt_emit(p_session_id uuid, p_event text, p_data jsonb, p_high_frequency boolean) FROM PUBLIC;
