-- FUNCTION: end_live_session(uuid, boolean)
CREATE FUNCTION private.end_live_session(p_session_id uuid, p_dry_run boolean) RETURNS TABLE(title text, listeners integer)
    LANGUAGE plpgsql STRICT
    SET search_path TO ''
    AS $$
begin
  if p_dry_run then
    return query
    select s.title, s.listener_count from public.dj_sessions as s
    where s.id = p_session_id and s.status = 'live';
    return;
  end if;
  return query
  update public.dj_sessions as s set status = 'ended'
  where s.id = p_session_id and s.status = 'live'
  returning s.title, s.listener_count;
end
$$;

-- COMMENT: FUNCTION end_live_session(p_session_id uuid, p_dry_run boolean)
COMMENT ON FUNCTION private.end_live_session(p_session_id uuid, p_dry_run boolean) IS 'End a live session as its DJ would (listeners get session.status ''ended''); with p_dry_run only return it. No row when the session is not live (whatssound sessions end).';

-- ACL: FUNCTION end_live_session(p_session_id uuid, p_dry_run boolean)
REVOKE ALL ON FUNCTION private.end_live_session(p_session_id uuid, p_dry_run boolean) FROM PUBLIC;
