-- FUNCTION: go_live(uuid)
CREATE FUNCTION public.go_live(p_session_id uuid) RETURNS public.dj_sessions
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_row public.dj_sessions;
begin
  perform hidden.require_user();
  update public.dj_sessions as s set status = 'live'
  where s.id = p_session_id and s.dj_id = (select auth.uid())
  returning * into v_row;
  perform hidden.require_session_change(v_row.id is not null, p_session_id);
  return v_row;
exception
  when unique_violation then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'LIVE1',
        'You already have a live session.',
        'End it before going live with another one.'
      ),
      detail = hidden.api_response('LIVE1');
end
$$;

-- COMMENT: FUNCTION go_live(p_session_id uuid)
COMMENT ON FUNCTION public.go_live(p_session_id uuid) IS 'Start a scheduled session now. Returns the session.
Errors: LOGIN; P0002 no such session; 42501 not your session; LIVE1 another session is live; STATE not scheduled; ENDED.
Example: await supabase.rpc(''go_live'', { p_session_id: id })';

-- ACL: FUNCTION go_live(p_session_id uuid)
REVOKE ALL ON FUNCTION public.go_live(p_session_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.go_live(p_session_id uuid) TO authenticated;
