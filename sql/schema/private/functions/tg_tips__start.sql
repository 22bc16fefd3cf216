-- FUNCTION: tg_tips__start()
CREATE FUNCTION private.tg_tips__start() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  -- Clients (role authenticated) are validated; the service's own writers are trusted.
  if current_user = 'authenticated' then
    return hidden.prepare_tip(NEW);
  end if;
  return NEW;
end
$$;

-- COMMENT: FUNCTION tg_tips__start()
COMMENT ON FUNCTION private.tg_tips__start() IS 'Tips inserted by clients go through hidden.prepare_tip.';

-- ACL: FUNCTION tg_tips__start()
REVOKE ALL ON FUNCTION private.tg_tips__start() FROM PUBLIC;
