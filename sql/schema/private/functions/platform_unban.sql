-- FUNCTION: platform_unban(uuid)
CREATE FUNCTION private.platform_unban(p_user_id uuid) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  update auth.users as u set banned_until = null where u.id = p_user_id and u.banned_until is not null;
  if not found then
    return false;
  end if;
  update private.platform_bans as b set lifted_at = now() where b.user_id = p_user_id and b.lifted_at is null;
  return true;
end
$$;

-- COMMENT: FUNCTION platform_unban(p_user_id uuid)
COMMENT ON FUNCTION private.platform_unban(p_user_id uuid) IS 'Lift a platform suspension; false if the user was not suspended.';

-- ACL: FUNCTION platform_unban(p_user_id uuid)
REVOKE ALL ON FUNCTION private.platform_unban(p_user_id uuid) FROM PUBLIC;
