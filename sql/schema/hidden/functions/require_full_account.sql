-- FUNCTION: require_full_account(text)
CREATE FUNCTION hidden.require_full_account(p_action text) RETURNS uuid
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := hidden.require_user();
begin
  if hidden.is_anonymous(v_uid)
    and not coalesce((hidden.setting('anonymous_may_' || p_action))::boolean, false) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'ANONY',
        format('Guests cannot %s here.', p_action),
        'Sign in with a phone number, Apple or Google first.'
      ),
      detail = hidden.api_response('ANONY');
  end if;
  return v_uid;
end
$$;

-- COMMENT: FUNCTION require_full_account(p_action text)
COMMENT ON FUNCTION hidden.require_full_account(p_action text) IS 'The caller''s id, refusing anonymous sign-ins (ANONY) unless setting anonymous_may_<action> allows.';

-- ACL: FUNCTION require_full_account(p_action text)
REVOKE ALL ON FUNCTION hidden.require_full_account(p_action text) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.require_full_account(p_action text) TO authenticated;
GRANT ALL ON FUNCTION hidden.require_full_account(p_action text) TO service_role;
