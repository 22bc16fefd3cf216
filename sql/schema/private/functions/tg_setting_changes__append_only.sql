-- FUNCTION: tg_setting_changes__append_only()
CREATE FUNCTION private.tg_setting_changes__append_only() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  raise exception 'The settings history is append-only.'
    using errcode = '42501', hint = 'Record a new change instead (whatssound settings set/reset).';
end
$$;

-- COMMENT: FUNCTION tg_setting_changes__append_only()
COMMENT ON FUNCTION private.tg_setting_changes__append_only() IS 'Refuses updating, deleting or truncating private.setting_changes (42501).';

-- ACL: FUNCTION tg_setting_changes__append_only()
REVOKE ALL ON FUNCTION private.tg_setting_changes__append_only() FROM PUBLIC;
