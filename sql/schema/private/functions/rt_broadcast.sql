-- FUNCTION: rt_broadcast(text, text, jsonb, integer, boolean)
CREATE FUNCTION private.rt_broadcast(p_topic text, p_event text, p_data jsonb, p_recipients integer, p_send boolean) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_now timestamptz := private.rt_now();
  v_seq bigint;
  v_payload jsonb;
begin
  -- The caller holds the topic row's lock (rt_topic_row), so sequence numbers have no gaps.
  update private.realtime_topics as t
  set last_seq = t.last_seq + 1, last_broadcast_at = v_now
  where t.topic = p_topic
  returning t.last_seq into v_seq;
  v_payload := jsonb_build_object(
    'v', 1, 'seq', v_seq, 'ts', (extract(epoch from v_now) * 1000)::bigint, 'event', p_event,
    'topic', p_topic, 'data', p_data
  );
  insert into private.realtime_log (topic, seq, event, payload, recipients, created_at, sent)
  values (p_topic, v_seq, p_event, v_payload, case when p_send then coalesce(p_recipients, 0) else 0 end, v_now, p_send);
  if p_send then
    -- Realtime decodes realtime.messages from the WAL, which it can read only once flushed: a
    -- transaction that broadcasts commits synchronously, whatever its caller chose.
    perform set_config('synchronous_commit', 'on', true);
    perform realtime.send(v_payload, p_event, p_topic, true);
  end if;
  return v_seq;
end
$$;

-- COMMENT: FUNCTION rt_broadcast(p_topic text, p_event text, p_data jsonb, p_recipients integer, p_send boolean)
COMMENT ON FUNCTION private.rt_broadcast(p_topic text, p_event text, p_data jsonb, p_recipients integer, p_send boolean) IS 'Give an event the topic''s next sequence number and log it; with p_send also broadcast it (private) to p_recipients subscribers (billed p_recipients + 1) and commit synchronously. The topic row must be locked.';

-- ACL: FUNCTION rt_broadcast(p_topic text, p_event text, p_data jsonb, p_recipients integer, p_send boolean)
REVOKE ALL ON FUNCTION private.rt_broadcast(p_topic text, p_event text, p_data jsonb, p_recipients integer, p_send boolean) FROM PUBLIC;
