-- FUNCTION: heartbeat(uuid, boolean)
CREATE FUNCTION public.heartbeat(p_session_id uuid, p_foreground boolean DEFAULT NULL::boolean) RETURNS public.membership
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  return hidden.heartbeat(p_session_id, p_foreground);
end
$$;

-- COMMENT: FUNCTION heartbeat(p_session_id uuid, p_foreground boolean)
COMMENT ON FUNCTION public.heartbeat(p_session_id uuid, p_foreground boolean) IS 'Say "still here" every 30 s, and whenever the app moves to the foreground or the background (p_foreground true/false; omitted: unchanged). Rejoins transparently if you were dropped. Returns your membership and the current listener count.
Errors: as join_session when a rejoin is needed.
Example: AppState.addEventListener(''change'', (s) => supabase.rpc(''heartbeat'', { p_session_id: id, p_foreground: s === ''active'' }))';

-- ACL: FUNCTION heartbeat(p_session_id uuid, p_foreground boolean)
REVOKE ALL ON FUNCTION public.heartbeat(p_session_id uuid, p_foreground boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION public.heartbeat(p_session_id uuid, p_foreground boolean) TO authenticated;
