-- FUNCTION: require_queue_team(uuid)
CREATE FUNCTION private.require_queue_team(p_session_id uuid) RETURNS public.dj_sessions
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
declare
  v_session public.dj_sessions;
begin
  perform hidden.require_user();
  select * into v_session from public.dj_sessions as s where s.id = p_session_id;
  if v_session.id is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such session.', 'Check the session id.'),
      detail = hidden.api_response('P0002');
  elsif not hidden.can_moderate_session(p_session_id) then
    raise exception 'Only the DJ and their team run the queue.' using errcode = '42501', hint = 'Vote or request instead.';
  elsif v_session.status = 'ended' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('ENDED', 'This session has ended.', 'The queue is closed.'),
      detail = hidden.api_response('ENDED');
  end if;
  return v_session;
end
$$;

-- COMMENT: FUNCTION require_queue_team(p_session_id uuid)
COMMENT ON FUNCTION private.require_queue_team(p_session_id uuid) IS 'The session, if the caller may run its queue (raises the reason otherwise).';

-- ACL: FUNCTION require_queue_team(p_session_id uuid)
REVOKE ALL ON FUNCTION private.require_queue_team(p_session_id uuid) FROM PUBLIC;
