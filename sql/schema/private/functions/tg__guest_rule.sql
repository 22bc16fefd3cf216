-- FUNCTION: tg__guest_rule()
CREATE FUNCTION private.tg__guest_rule() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_action text := TG_ARGV[0];
  v_uid uuid := auth.uid();
  v_capacity integer;
  v_wait double precision;
begin
  if v_uid is null or not hidden.is_anonymous(v_uid) then
    return NEW;
  end if;
  if not hidden.guest_may(v_action) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'ANONY',
        format('Guests cannot %s.', TG_ARGV[1]),
        format('Sign in with a phone number, Apple or Google first (action: %s).', v_action)
      ),
      detail = hidden.api_response('ANONY');
  end if;
  v_capacity := (hidden.setting('anonymous_' || v_action || '_rate_capacity'))::integer;
  if v_capacity is not null then
    v_wait := hidden.take_token(v_uid, 'anonymous_' || v_action, v_capacity,
      (hidden.setting('anonymous_' || v_action || '_rate_per_second'))::double precision);
    if v_wait > 0 then
      raise sqlstate 'PGRST' using
        message = hidden.api_error(
          'RATEL',
          format('Guests can only %s now and then.', TG_ARGV[1]),
          'Try again later, or sign in with a phone number, Apple or Google.',
          json_build_object('retry_after_seconds', v_wait)::text
        ),
        detail = hidden.api_response('RATEL', v_wait);
    end if;
  end if;
  return NEW;
end
$$;

-- COMMENT: FUNCTION tg__guest_rule()
COMMENT ON FUNCTION private.tg__guest_rule() IS 'Shared BEFORE trigger, arguments (action, what it is for the message): refuses a guest caller with ANONY unless setting anonymous_may_<action> allows, and rate-limits them with RATEL when anonymous_<action>_rate_capacity and _per_second are set. Full accounts, the service and the migration role pass.';

-- ACL: FUNCTION tg__guest_rule()
REVOKE ALL ON FUNCTION private.tg__guest_rule() FROM PUBLIC;
