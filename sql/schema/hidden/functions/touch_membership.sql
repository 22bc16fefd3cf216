-- FUNCTION: touch_membership(uuid, uuid)
CREATE FUNCTION hidden.touch_membership(p_session_id uuid, p_user_id uuid) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO ''
    AS $$
  update public.session_members as m set last_seen_at = now()
  where m.session_id = p_session_id and m.user_id = p_user_id and m.user_id = auth.uid() and m.left_at is null
$$;

-- COMMENT: FUNCTION touch_membership(p_session_id uuid, p_user_id uuid)
COMMENT ON FUNCTION hidden.touch_membership(p_session_id uuid, p_user_id uuid) IS 'Record the caller''s heartbeat in a session.';

-- ACL: FUNCTION touch_membership(p_session_id uuid, p_user_id uuid)
REVOKE ALL ON FUNCTION hidden.touch_membership(p_session_id uuid, p_user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.touch_membership(p_session_id uuid, p_user_id uuid) TO authenticated;
