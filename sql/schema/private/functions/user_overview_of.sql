-- FUNCTION: user_overview_of(uuid)
CREATE FUNCTION private.user_overview_of(p_user_id uuid) RETURNS SETOF private.user_overview
    LANGUAGE sql STABLE STRICT
    SET search_path TO ''
    AS $$
  select o.* from private.user_overview as o where o.id = p_user_id
$$;

-- COMMENT: FUNCTION user_overview_of(p_user_id uuid)
COMMENT ON FUNCTION private.user_overview_of(p_user_id uuid) IS 'One user''s row of private.user_overview (account, sign-in, devices, entitlements, bans, activity); no row for an unknown user (whatssound users show).';

-- ACL: FUNCTION user_overview_of(p_user_id uuid)
REVOKE ALL ON FUNCTION private.user_overview_of(p_user_id uuid) FROM PUBLIC;
