-- FUNCTION: settings_list(text)
CREATE FUNCTION private.settings_list(p_key text DEFAULT NULL::text) RETURNS SETOF private.setting_values
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select v.* from private.setting_values as v where p_key is null or v.key = p_key order by v.key
$$;

-- COMMENT: FUNCTION settings_list(p_key text)
COMMENT ON FUNCTION private.settings_list(p_key text) IS 'Every setting (or the one named): key, default, override, value in force, who set the override, when and why (whatssound settings list).';

-- ACL: FUNCTION settings_list(p_key text)
REVOKE ALL ON FUNCTION private.settings_list(p_key text) FROM PUBLIC;
