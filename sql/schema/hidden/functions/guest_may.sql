-- FUNCTION: guest_may(text)
CREATE FUNCTION hidden.guest_may(p_action text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select not coalesce((select u.is_anonymous from auth.users as u where u.id = auth.uid()), false)
    or coalesce((select (s.value)::boolean from private.settings as s where s.key = 'anonymous_may_' || p_action), false)
    or exists (select 1 from private.account_deletions as d where d.user_id = auth.uid())
$$;

-- COMMENT: FUNCTION guest_may(p_action text)
COMMENT ON FUNCTION hidden.guest_may(p_action text) IS 'Whether the caller may do p_action: true for full accounts (and requests without a user); for guests, setting anonymous_may_<action> (false if missing), or an account deletion under way.';

-- ACL: FUNCTION guest_may(p_action text)
REVOKE ALL ON FUNCTION hidden.guest_may(p_action text) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.guest_may(p_action text) TO authenticated;
GRANT ALL ON FUNCTION hidden.guest_may(p_action text) TO service_role;
