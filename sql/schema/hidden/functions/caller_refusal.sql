-- FUNCTION: caller_refusal()
CREATE FUNCTION hidden.caller_refusal() RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := auth.uid();
  v_banned_until timestamptz;
begin
  if v_uid is null then
    return null;
  end if;
  -- PL/pgSQL: its plan is kept for the session (this runs once per request).
  select u.banned_until into v_banned_until from auth.users as u where u.id = v_uid;
  if not found then
    return 'LOGIN';
  end if;
  return case when v_banned_until > now() then 'SUSPD' end;
end
$$;

-- COMMENT: FUNCTION caller_refusal()
COMMENT ON FUNCTION hidden.caller_refusal() IS 'Why the caller''s request must be refused before it runs: LOGIN (the token''s user no longer exists), SUSPD (suspended now), or null (no user, or an active one).';

-- ACL: FUNCTION caller_refusal()
REVOKE ALL ON FUNCTION hidden.caller_refusal() FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.caller_refusal() TO anon;
GRANT ALL ON FUNCTION hidden.caller_refusal() TO authenticated;
GRANT ALL ON FUNCTION hidden.caller_refusal() TO service_role;
