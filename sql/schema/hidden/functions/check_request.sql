-- FUNCTION: check_request()
CREATE FUNCTION hidden.check_request() RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
declare
  v_refusal text := hidden.caller_refusal();
begin
  if v_refusal = 'SUSPD' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('SUSPD', 'This account is suspended.', 'Contact support.'),
      detail = hidden.api_response('SUSPD');
  elsif v_refusal = 'LOGIN' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'LOGIN',
        'This account no longer exists.',
        'Sign out, then sign in again (an anonymous sign-in is enough to listen).'
      ),
      detail = hidden.api_response('LOGIN');
  end if;
end
$$;

-- COMMENT: FUNCTION check_request()
COMMENT ON FUNCTION hidden.check_request() IS 'PostgREST''s pre-request hook (pgrst.db_pre_request): refuses every request of a suspended account with SUSPD, and of a token whose user was deleted with LOGIN, whatever it calls or reads.';

-- ACL: FUNCTION check_request()
REVOKE ALL ON FUNCTION hidden.check_request() FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.check_request() TO anon;
GRANT ALL ON FUNCTION hidden.check_request() TO authenticated;
GRANT ALL ON FUNCTION hidden.check_request() TO service_role;
