-- FUNCTION: realtime_can_track(text)
CREATE FUNCTION hidden.realtime_can_track(p_topic text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select hidden.realtime_can_read(p_topic)
    and exists (
      select 1 from public.dj_sessions as s
      where s.id = private.rt_topic_session(p_topic)
        and s.listener_count <= (hidden.setting('realtime_presence_max_listeners'))::integer
    )
$$;

-- COMMENT: FUNCTION realtime_can_track(p_topic text)
COMMENT ON FUNCTION hidden.realtime_can_track(p_topic text) IS 'Whether the caller may send Presence on a topic: session topics they can read, while the room is small.';

-- ACL: FUNCTION realtime_can_track(p_topic text)
REVOKE ALL ON FUNCTION hidden.realtime_can_track(p_topic text) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.realtime_can_track(p_topic text) TO authenticated;
