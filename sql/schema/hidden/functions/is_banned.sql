-- FUNCTION: is_banned(uuid, uuid)
CREATE FUNCTION hidden.is_banned(p_dj_id uuid, p_user_id uuid) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return exists (
    select 1 from public.dj_bans as b
    where b.dj_id = p_dj_id and b.user_id = p_user_id and b.kind = 'ban' and b.revoked_at is null
  );
end
$$;

-- COMMENT: FUNCTION is_banned(p_dj_id uuid, p_user_id uuid)
COMMENT ON FUNCTION hidden.is_banned(p_dj_id uuid, p_user_id uuid) IS 'Whether the user is banned from the DJ''s channel.';

-- ACL: FUNCTION is_banned(p_dj_id uuid, p_user_id uuid)
REVOKE ALL ON FUNCTION hidden.is_banned(p_dj_id uuid, p_user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.is_banned(p_dj_id uuid, p_user_id uuid) TO authenticated;
GRANT ALL ON FUNCTION hidden.is_banned(p_dj_id uuid, p_user_id uuid) TO service_role;
