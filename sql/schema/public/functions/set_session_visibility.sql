-- FUNCTION: set_session_visibility(uuid, public.session_visibility)
CREATE FUNCTION public.set_session_visibility(p_session_id uuid, p_visibility public.session_visibility) RETURNS public.dj_sessions
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_row public.dj_sessions;
begin
  perform hidden.require_user();
  update public.dj_sessions as s set visibility = p_visibility where s.id = p_session_id returning * into v_row;
  perform hidden.require_session_change(v_row.id is not null, p_session_id);
  return v_row;
end
$$;

-- COMMENT: FUNCTION set_session_visibility(p_session_id uuid, p_visibility public.session_visibility)
COMMENT ON FUNCTION public.set_session_visibility(p_session_id uuid, p_visibility public.session_visibility) IS 'Make a session public, followers-only or private (private ones get an invite code). DJ only.
Errors: LOGIN; P0002; 42501; ENDED.
Example: await supabase.rpc(''set_session_visibility'', { p_session_id: id, p_visibility: ''private'' })';

-- ACL: FUNCTION set_session_visibility(p_session_id uuid, p_visibility public.session_visibility)
REVOKE ALL ON FUNCTION public.set_session_visibility(p_session_id uuid, p_visibility public.session_visibility) FROM PUBLIC;
GRANT ALL ON FUNCTION public.set_session_visibility(p_session_id uuid, p_visibility public.session_visibility) TO authenticated;
