-- FUNCTION: api_response(text, double precision)
CREATE FUNCTION hidden.api_response(p_code text, p_retry_after_seconds double precision DEFAULT NULL::double precision) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
  select json_build_object(
    'status', hidden.api_status(p_code),
    'headers', case
      -- What PostgREST itself sends with a 401 (Error.hs, `headers` of PgError).
      when p_code = 'LOGIN' then json_build_object('WWW-Authenticate', 'Bearer')
      when p_retry_after_seconds is not null
        then json_build_object('Retry-After', greatest(1, ceil(p_retry_after_seconds))::bigint::text)
      else json_build_object()
    end
  )::text
$$;

-- COMMENT: FUNCTION api_response(p_code text, p_retry_after_seconds double precision)
COMMENT ON FUNCTION hidden.api_response(p_code text, p_retry_after_seconds double precision) IS 'The DETAIL of a PGRST error: {status, headers} for PostgREST, the status from api_status; a rate limit passes its wait in seconds, sent as Retry-After (whole seconds, at least 1); LOGIN sends WWW-Authenticate: Bearer as PostgREST does with its own 401s.';

-- ACL: FUNCTION api_response(p_code text, p_retry_after_seconds double precision)
REVOKE ALL ON FUNCTION hidden.api_response(p_code text, p_retry_after_seconds double precision) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.api_response(p_code text, p_retry_after_seconds double precision) TO anon;
GRANT ALL ON FUNCTION hidden.api_response(p_code text, p_retry_after_seconds double precision) TO authenticated;
GRANT ALL ON FUNCTION hidden.api_response(p_code text, p_retry_after_seconds double precision) TO service_role;
