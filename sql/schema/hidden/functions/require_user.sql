-- FUNCTION: require_user()
CREATE FUNCTION hidden.require_user() RETURNS uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := auth.uid();
begin
  if v_uid is null then
    raise exception 'You need to be signed in to do that.'
      using errcode = 'LOGIN', hint = 'Sign in (an anonymous sign-in is enough to listen).';
  -- Suspended: Supabase Auth's banned_until is in the future (a platform ban).
  elsif coalesce((select u.banned_until > now() from auth.users as u where u.id = v_uid), false) then
    raise exception 'This account is suspended.' using errcode = 'SUSPD', hint = 'Contact support.';
  end if;
  return v_uid;
end
$$;

-- COMMENT: FUNCTION require_user()
COMMENT ON FUNCTION hidden.require_user() IS 'The caller''s user id; raises LOGIN for requests without a user and SUSPD for suspended accounts.';

-- ACL: FUNCTION require_user()
REVOKE ALL ON FUNCTION hidden.require_user() FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.require_user() TO anon;
GRANT ALL ON FUNCTION hidden.require_user() TO authenticated;
GRANT ALL ON FUNCTION hidden.require_user() TO service_role;
