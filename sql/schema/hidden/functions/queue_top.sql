-- FUNCTION: queue_top(uuid, integer)
CREATE FUNCTION hidden.queue_top(p_session_id uuid, p_limit integer) RETURNS json
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if coalesce(p_limit, 50) = 50 then
    return (hidden.room_state(p_session_id)).queue;  -- the page everyone asks for: kept, at most a second old
  end if;
  perform hidden.room_state(p_session_id);  -- the same check of who may see the room
  return private.queue_top_live(p_session_id, p_limit);
end
$$;

-- COMMENT: FUNCTION queue_top(p_session_id uuid, p_limit integer)
COMMENT ON FUNCTION hidden.queue_top(p_session_id uuid, p_limit integer) IS 'Implementation of queue_top (the first page is the room snapshot''s).';

-- ACL: FUNCTION queue_top(p_session_id uuid, p_limit integer)
REVOKE ALL ON FUNCTION hidden.queue_top(p_session_id uuid, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.queue_top(p_session_id uuid, p_limit integer) TO authenticated;
