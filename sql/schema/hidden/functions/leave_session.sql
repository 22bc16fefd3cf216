-- FUNCTION: leave_session(uuid, uuid)
CREATE FUNCTION hidden.leave_session(p_session_id uuid, p_user_id uuid) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  update public.session_members as m set left_at = now(),
    role = case when m.role = 'cohost' then 'listener' else m.role end
  where m.session_id = p_session_id and m.user_id = p_user_id and m.left_at is null
    and (p_user_id = auth.uid() or hidden.can_moderate_session(p_session_id));
  return found;
end
$$;

-- COMMENT: FUNCTION leave_session(p_session_id uuid, p_user_id uuid)
COMMENT ON FUNCTION hidden.leave_session(p_session_id uuid, p_user_id uuid) IS 'Implementation of leave_session / remove_from_session.';

-- ACL: FUNCTION leave_session(p_session_id uuid, p_user_id uuid)
REVOKE ALL ON FUNCTION hidden.leave_session(p_session_id uuid, p_user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.leave_session(p_session_id uuid, p_user_id uuid) TO authenticated;
