-- FUNCTION: provider_text(text)
CREATE FUNCTION private.provider_text(p_value text) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $$
  select btrim(regexp_replace(normalize(p_value, nfc), hidden.text_policy_pattern('line'), '', 'g'))
$$;

-- COMMENT: FUNCTION provider_text(p_value text)
COMMENT ON FUNCTION private.provider_text(p_value text) IS 'A provider''s title or artist as the text policy stores it: NFC, without what the policy refuses, trimmed.';

-- ACL: FUNCTION provider_text(p_value text)
REVOKE ALL ON FUNCTION private.provider_text(p_value text) FROM PUBLIC;
