-- FUNCTION: caller_suspended()
CREATE FUNCTION hidden.caller_suspended() RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  -- PL/pgSQL: its plan is kept for the session (this runs once per request).
  return coalesce((select u.banned_until > now() from auth.users as u where u.id = auth.uid()), false);
end
$$;

-- COMMENT: FUNCTION caller_suspended()
COMMENT ON FUNCTION hidden.caller_suspended() IS 'Whether the caller''s account is suspended right now (Supabase Auth''s banned_until is in the future); false without a user.';

-- ACL: FUNCTION caller_suspended()
REVOKE ALL ON FUNCTION hidden.caller_suspended() FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.caller_suspended() TO anon;
GRANT ALL ON FUNCTION hidden.caller_suspended() TO authenticated;
GRANT ALL ON FUNCTION hidden.caller_suspended() TO service_role;
