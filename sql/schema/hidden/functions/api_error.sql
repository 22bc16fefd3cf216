-- FUNCTION: api_error(text, text, text, text)
CREATE FUNCTION hidden.api_error(p_code text, p_message text, p_hint text, p_details text DEFAULT NULL::text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
  select json_build_object('code', p_code, 'message', p_message, 'details', p_details, 'hint', p_hint)::text
$$;

-- COMMENT: FUNCTION api_error(p_code text, p_message text, p_hint text, p_details text)
COMMENT ON FUNCTION hidden.api_error(p_code text, p_message text, p_hint text, p_details text) IS 'The MESSAGE of a PGRST error: the JSON body PostgREST answers with, {code, message, details, hint} (details is text: PostgREST reads it as a string; ours are JSON objects as text, as in every other error).';

-- ACL: FUNCTION api_error(p_code text, p_message text, p_hint text, p_details text)
REVOKE ALL ON FUNCTION hidden.api_error(p_code text, p_message text, p_hint text, p_details text) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.api_error(p_code text, p_message text, p_hint text, p_details text) TO anon;
GRANT ALL ON FUNCTION hidden.api_error(p_code text, p_message text, p_hint text, p_details text) TO authenticated;
GRANT ALL ON FUNCTION hidden.api_error(p_code text, p_message text, p_hint text, p_details text) TO service_role;
