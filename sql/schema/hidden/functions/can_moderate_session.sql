-- FUNCTION: can_moderate_session(uuid)
CREATE FUNCTION hidden.can_moderate_session(p_session_id uuid) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  return coalesce(hidden.session_authority(p_session_id, auth.uid()) in ('dj', 'cohost', 'moderator'), false)
    or hidden.is_staff();
end
$$;

-- COMMENT: FUNCTION can_moderate_session(p_session_id uuid)
COMMENT ON FUNCTION hidden.can_moderate_session(p_session_id uuid) IS 'Whether the caller may moderate this session (its DJ, a present co-host, the DJ''s moderator, staff).';

-- ACL: FUNCTION can_moderate_session(p_session_id uuid)
REVOKE ALL ON FUNCTION hidden.can_moderate_session(p_session_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.can_moderate_session(p_session_id uuid) TO authenticated;
GRANT ALL ON FUNCTION hidden.can_moderate_session(p_session_id uuid) TO service_role;
