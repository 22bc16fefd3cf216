-- FUNCTION: require_session_change(boolean, uuid)
CREATE FUNCTION hidden.require_session_change(p_found boolean, p_session_id uuid) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  if not p_found then
    if exists (select 1 from public.dj_sessions as s where s.id = p_session_id) then
      raise exception 'Only the DJ (or a moderator, for chat settings) can change this session.'
        using errcode = '42501', hint = 'Ask the DJ.';
    end if;
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such session.', 'Check the session id.'),
      detail = hidden.api_response('P0002');
  end if;
end
$$;

-- COMMENT: FUNCTION require_session_change(p_found boolean, p_session_id uuid)
COMMENT ON FUNCTION hidden.require_session_change(p_found boolean, p_session_id uuid) IS 'After an RLS-filtered session update: turn "nothing matched" into not-found (P0002) or not-allowed (42501).';

-- ACL: FUNCTION require_session_change(p_found boolean, p_session_id uuid)
REVOKE ALL ON FUNCTION hidden.require_session_change(p_found boolean, p_session_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.require_session_change(p_found boolean, p_session_id uuid) TO authenticated;
