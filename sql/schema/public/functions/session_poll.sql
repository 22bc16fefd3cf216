-- FUNCTION: session_poll(uuid, bigint)
CREATE FUNCTION public.session_poll(p_session_id uuid, p_after_seq bigint) RETURNS json
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  return hidden.read_topic('session:' || p_session_id, p_after_seq,
    (hidden.setting('realtime_poll_max_events'))::integer, p_session_id,
    (hidden.setting('realtime_poll_catchup_max'))::integer);
end
$$;

-- COMMENT: FUNCTION session_poll(p_session_id uuid, p_after_seq bigint)
COMMENT ON FUNCTION public.session_poll(p_session_id uuid, p_after_seq bigint) IS 'What a pull room''s app calls every poll_ms (and a push room''s after a gap): the room''s entries after p_after_seq, in order, as broadcasts would have carried them: {events, last_seq, has_more (call again now), resync_needed (take session_snapshot), mode (push: subscribe instead), poll_ms, me (your user topic''s last seq: call my_events_since when it grows)}.
Errors: LOGIN; 42501 not in the session (join first); P0002 no such session.
Example: const { data } = await supabase.rpc(''session_poll'', { p_session_id: id, p_after_seq: lastSeq }, { get: true })';

-- ACL: FUNCTION session_poll(p_session_id uuid, p_after_seq bigint)
REVOKE ALL ON FUNCTION public.session_poll(p_session_id uuid, p_after_seq bigint) FROM PUBLIC;
GRANT ALL ON FUNCTION public.session_poll(p_session_id uuid, p_after_seq bigint) TO authenticated;
