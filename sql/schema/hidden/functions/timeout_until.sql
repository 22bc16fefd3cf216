-- FUNCTION: timeout_until(uuid, uuid)
CREATE FUNCTION hidden.timeout_until(p_dj_id uuid, p_user_id uuid) RETURNS timestamp with time zone
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return (
    select max(b.expires_at) from public.dj_bans as b
    where b.dj_id = p_dj_id and b.user_id = p_user_id and b.kind = 'timeout' and b.revoked_at is null
      and b.expires_at > now()
  );
end
$$;

-- COMMENT: FUNCTION timeout_until(p_dj_id uuid, p_user_id uuid)
COMMENT ON FUNCTION hidden.timeout_until(p_dj_id uuid, p_user_id uuid) IS 'When the user''s active timeout in the DJ''s channel ends (NULL: none).';

-- ACL: FUNCTION timeout_until(p_dj_id uuid, p_user_id uuid)
REVOKE ALL ON FUNCTION hidden.timeout_until(p_dj_id uuid, p_user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.timeout_until(p_dj_id uuid, p_user_id uuid) TO authenticated;
GRANT ALL ON FUNCTION hidden.timeout_until(p_dj_id uuid, p_user_id uuid) TO service_role;
