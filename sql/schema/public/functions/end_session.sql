-- FUNCTION: end_session(uuid)
CREATE FUNCTION public.end_session(p_session_id uuid) RETURNS public.dj_sessions
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_row public.dj_sessions;
begin
  perform hidden.require_user();
  update public.dj_sessions as s set status = 'ended'
  where s.id = p_session_id and (s.dj_id = (select auth.uid()) or (select hidden.is_staff()))
  returning * into v_row;
  perform hidden.require_session_change(v_row.id is not null, p_session_id);
  return v_row;
end
$$;

-- COMMENT: FUNCTION end_session(p_session_id uuid)
COMMENT ON FUNCTION public.end_session(p_session_id uuid) IS 'End a live session (or cancel a scheduled one); everyone in it leaves. Returns the session.
Errors: LOGIN; P0002; 42501 not your session; ENDED already ended.
Example: await supabase.rpc(''end_session'', { p_session_id: id })';

-- ACL: FUNCTION end_session(p_session_id uuid)
REVOKE ALL ON FUNCTION public.end_session(p_session_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.end_session(p_session_id uuid) TO authenticated;
