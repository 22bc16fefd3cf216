-- FUNCTION: rt_topic_row(text, uuid)
CREATE FUNCTION private.rt_topic_row(p_topic text, p_session_id uuid) RETURNS private.realtime_topics
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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

-- COMMENT: FUNCTION rt_topic_row(p_topic text, p_session_id uuid)
COMMENT ON FUNCTION private.rt_topic_row(p_topic text, p_session_id uuid) IS 'The topic''s row, created if missing, locked for this transaction.';

-- ACL: FUNCTION rt_topic_row(p_topic text, p_session_id uuid)
REVOKE ALL ON FUNCTION private.rt_topic_row(p_topic text, p_session_id uuid) FROM PUBLIC;
