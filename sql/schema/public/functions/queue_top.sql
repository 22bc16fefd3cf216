-- FUNCTION: queue_top(uuid, integer)
CREATE FUNCTION public.queue_top(p_session_id uuid, p_limit integer DEFAULT 50) RETURNS json
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  return hidden.queue_top(p_session_id, p_limit);
end
$$;

-- COMMENT: FUNCTION queue_top(p_session_id uuid, p_limit integer)
COMMENT ON FUNCTION public.queue_top(p_session_id uuid, p_limit integer) IS 'The next tracks in order as a JSON array of queue_entry objects (position 1 plays next) of a room you may view. The first page (50) is the room snapshot''s, at most a second old (live changes arrive as events); other limits (1-200) are read live.
Errors: LOGIN; P0002 no such session or not visible.
Example: const { data } = await supabase.rpc(''queue_top'', { p_session_id: id, p_limit: 50 })';

-- ACL: FUNCTION queue_top(p_session_id uuid, p_limit integer)
REVOKE ALL ON FUNCTION public.queue_top(p_session_id uuid, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.queue_top(p_session_id uuid, p_limit integer) TO authenticated;
