-- FUNCTION: session_events_since(uuid, bigint, integer)
CREATE FUNCTION public.session_events_since(p_session_id uuid, p_after_seq bigint, p_limit integer DEFAULT 100) RETURNS json
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  return hidden.read_topic('session:' || p_session_id, p_after_seq, p_limit, p_session_id, null);
end
$$;

-- COMMENT: FUNCTION session_events_since(p_session_id uuid, p_after_seq bigint, p_limit integer)
COMMENT ON FUNCTION public.session_events_since(p_session_id uuid, p_after_seq bigint, p_limit integer) IS 'What a room broadcast after p_after_seq, in order (at most p_limit, max 500): {events, last_seq, has_more, resync_needed}. Call it when a broadcast''s seq is not your last seq + 1; page while has_more; if resync_needed (the gap is older than the retention), call session_snapshot instead.
Errors: 42501 you cannot see this session.
Example: const { data } = await supabase.rpc(''session_events_since'', { p_session_id: id, p_after_seq: lastSeq })';

-- ACL: FUNCTION session_events_since(p_session_id uuid, p_after_seq bigint, p_limit integer)
REVOKE ALL ON FUNCTION public.session_events_since(p_session_id uuid, p_after_seq bigint, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.session_events_since(p_session_id uuid, p_after_seq bigint, p_limit integer) TO authenticated;
