-- FUNCTION: settings_diff()
CREATE FUNCTION private.settings_diff() RETURNS SETOF private.setting_values
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select v.* from private.setting_values as v
  where v.override_value is not null or v.effective_value is distinct from v.default_value
  order by v.key
$$;

-- COMMENT: FUNCTION settings_diff()
COMMENT ON FUNCTION private.settings_diff() IS 'The settings not at their default: every override (also one equal to the default, which pins it against a default change), and any value written outside set_setting (no override; reset it) (whatssound settings diff).';

-- ACL: FUNCTION settings_diff()
REVOKE ALL ON FUNCTION private.settings_diff() FROM PUBLIC;
