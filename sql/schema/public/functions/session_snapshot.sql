-- FUNCTION: session_snapshot(uuid)
CREATE FUNCTION public.session_snapshot(p_session_id uuid) RETURNS json
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  return hidden.room_snapshot(p_session_id);
end
$$;

-- COMMENT: FUNCTION session_snapshot(p_session_id uuid)
COMMENT ON FUNCTION public.session_snapshot(p_session_id uuid) IS 'Everything a joining (or resyncing) client needs in one call: {seq, server_time, delivery {mode, poll_ms: push = subscribe to session:<id>, pull = call session_poll every poll_ms}, session (with its pinned announcement), now_playing, queue (top 50), chat (latest 50 visible, oldest first; none across a block), listeners {count, peak}}, as of seq (at most a second old: apply what follows it). Push: subscribe first, then apply broadcasts with seq > snapshot.seq; pull: poll from snapshot.seq. Call it with POST (the default).
Errors: LOGIN; P0002 no such session or not visible.
Example: const { data: snap } = await supabase.rpc(''session_snapshot'', { p_session_id: id })';

-- ACL: FUNCTION session_snapshot(p_session_id uuid)
REVOKE ALL ON FUNCTION public.session_snapshot(p_session_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.session_snapshot(p_session_id uuid) TO authenticated;
