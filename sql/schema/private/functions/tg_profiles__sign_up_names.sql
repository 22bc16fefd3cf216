-- FUNCTION: tg_profiles__sign_up_names()
CREATE FUNCTION private.tg_profiles__sign_up_names() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  NEW.display_name := btrim(regexp_replace(normalize(NEW.display_name, nfc), hidden.text_policy_pattern('name'), '', 'g'));
  if NEW.display_name = '' then
    NEW.display_name := NEW.handle;
  end if;
  return NEW;
end
$$;

-- COMMENT: FUNCTION tg_profiles__sign_up_names()
COMMENT ON FUNCTION private.tg_profiles__sign_up_names() IS 'Before a profile is created (sign-up): strip from the provider''s display name what the text policy would refuse, falling back to the handle, so a sign-up never fails because of it.';

-- ACL: FUNCTION tg_profiles__sign_up_names()
REVOKE ALL ON FUNCTION private.tg_profiles__sign_up_names() FROM PUBLIC;
