-- FUNCTION: rt_user_event(uuid, text, jsonb)
CREATE FUNCTION private.rt_user_event(p_user_id uuid, p_event text, p_data jsonb) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  perform private.rt_topic_row('user:' || p_user_id, null);
  perform private.rt_broadcast('user:' || p_user_id, p_event, p_data, 1, true);
end
$$;

-- COMMENT: FUNCTION rt_user_event(p_user_id uuid, p_event text, p_data jsonb)
COMMENT ON FUNCTION private.rt_user_event(p_user_id uuid, p_event text, p_data jsonb) IS 'Send a personal event to user:<id> (one recipient, always at once; an app in a pull room learns of it from session_poll''s `me` and reads it with my_events_since).';

-- ACL: FUNCTION rt_user_event(p_user_id uuid, p_event text, p_data jsonb)
REVOKE ALL ON FUNCTION private.rt_user_event(p_user_id uuid, p_event text, p_data jsonb) FROM PUBLIC;
