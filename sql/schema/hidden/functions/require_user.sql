-- FUNCTION: require_user()
CREATE FUNCTION hidden.require_user() RETURNS uuid
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := auth.uid();
begin
  if v_uid is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'LOGIN',
        'You need to be signed in to do that.',
        'Sign in (an anonymous sign-in is enough to listen).'
      ),
      detail = hidden.api_response('LOGIN');
  -- Suspended: Supabase Auth's banned_until is in the future (a platform ban).
  elsif coalesce((select u.banned_until > now() from auth.users as u where u.id = v_uid), false) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('SUSPD', 'This account is suspended.', 'Contact support.'),
      detail = hidden.api_response('SUSPD');
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
