-- FUNCTION: is_anonymous(uuid)
CREATE FUNCTION hidden.is_anonymous(p_user_id uuid) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return coalesce((select u.is_anonymous from auth.users as u where u.id = p_user_id), false);
end
$$;

-- COMMENT: FUNCTION is_anonymous(p_user_id uuid)
COMMENT ON FUNCTION hidden.is_anonymous(p_user_id uuid) IS 'Whether the user signed in anonymously (authoritative, from auth.users).';

-- ACL: FUNCTION is_anonymous(p_user_id uuid)
REVOKE ALL ON FUNCTION hidden.is_anonymous(p_user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.is_anonymous(p_user_id uuid) TO authenticated;
GRANT ALL ON FUNCTION hidden.is_anonymous(p_user_id uuid) TO service_role;
