-- FUNCTION: tg_profiles__guard()
CREATE FUNCTION private.tg_profiles__guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $_$
declare
  v_cooldown interval;
begin
  NEW.handle := lower(btrim(NEW.handle));
  if NEW.handle is distinct from OLD.handle then
    if NEW.handle !~ '^[a-z0-9_]{3,30}$' then
      raise exception 'A handle is 3 to 30 letters, digits or underscores.'
        using errcode = 'BADHN', hint = 'Try something like dj_nova or nova_23.';
    end if;
    v_cooldown := make_interval(secs => (hidden.setting('handle_change_cooldown_seconds'))::integer);
    if OLD.handle_changed_at is not null and OLD.handle_changed_at > now() - v_cooldown then
      raise sqlstate 'PGRST' using
        message = hidden.api_error(
          'COOLD',
          'You changed your handle recently.',
          'You can change it again after the cooldown (see details.next_change_at).',
          json_build_object('next_change_at', OLD.handle_changed_at + v_cooldown)::text
        ),
        detail = hidden.api_response('COOLD', extract(epoch from OLD.handle_changed_at + v_cooldown - now()));
    end if;
    if exists (select 1 from public.profiles as p where p.handle = NEW.handle and p.id <> NEW.id) then
      raise sqlstate 'PGRST' using
        message = hidden.api_error('TAKEN', 'That handle is taken.', 'Pick another handle.'),
        detail = hidden.api_response('TAKEN');
    end if;
    NEW.handle_changed_at := now();
  end if;
  NEW.display_name := btrim(NEW.display_name);
  if NEW.is_dj and not OLD.is_dj and hidden.is_anonymous(NEW.id) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'ANONY',
        'Guests cannot host sessions.',
        'Sign in with a phone number, Apple or Google to become a DJ.'
      ),
      detail = hidden.api_response('ANONY');
  end if;
  return NEW;
end
$_$;

-- COMMENT: FUNCTION tg_profiles__guard()
COMMENT ON FUNCTION private.tg_profiles__guard() IS 'Before a profile update: normalise and validate the handle (format, cooldown, uniqueness), display name and DJ flag.';

-- ACL: FUNCTION tg_profiles__guard()
REVOKE ALL ON FUNCTION private.tg_profiles__guard() FROM PUBLIC;
