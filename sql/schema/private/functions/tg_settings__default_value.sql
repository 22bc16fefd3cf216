-- FUNCTION: tg_settings__default_value()
CREATE FUNCTION private.tg_settings__default_value() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  NEW.default_value := coalesce(NEW.default_value, NEW.value);
  NEW.value := NEW.default_value;
  return NEW;
end
$$;

-- COMMENT: FUNCTION tg_settings__default_value()
COMMENT ON FUNCTION private.tg_settings__default_value() IS 'Before insert on private.settings: a new key''s value is its default (default_value, else the inserted value).';

-- ACL: FUNCTION tg_settings__default_value()
REVOKE ALL ON FUNCTION private.tg_settings__default_value() FROM PUBLIC;
