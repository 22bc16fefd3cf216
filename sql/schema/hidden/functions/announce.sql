-- FUNCTION: announce(uuid, text)
CREATE FUNCTION hidden.announce(p_session_id uuid, p_body text) RETURNS public.dj_sessions
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := hidden.require_user();
  v_body text := nullif(btrim(coalesce(p_body, '')), '');
  v_session public.dj_sessions;
begin
  select * into v_session from public.dj_sessions as s where s.id = p_session_id;
  if v_session.id is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such session.', 'Check the session id.'),
      detail = hidden.api_response('P0002');
  elsif not hidden.can_moderate_session(p_session_id) then
    raise exception 'Only the DJ''s team can pin an announcement.' using errcode = '42501', hint = 'Ask the DJ.';
  elsif v_session.status = 'ended' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('ENDED', 'This session has ended.', 'Announce in your next session.'),
      detail = hidden.api_response('ENDED');
  elsif char_length(v_body) > 280 then
    raise exception 'An announcement is at most 280 characters.' using errcode = 'MSGLN', hint = 'Shorten it.';
  end if;
  update public.dj_sessions as s
  set announcement = v_body, announced_by = v_uid, announced_at = now()
  where s.id = p_session_id
  returning * into v_session;
  return v_session;
end
$$;

-- COMMENT: FUNCTION announce(p_session_id uuid, p_body text)
COMMENT ON FUNCTION hidden.announce(p_session_id uuid, p_body text) IS 'Implementation of public.announce (the team may not update the session row itself).';

-- ACL: FUNCTION announce(p_session_id uuid, p_body text)
REVOKE ALL ON FUNCTION hidden.announce(p_session_id uuid, p_body text) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.announce(p_session_id uuid, p_body text) TO authenticated;
