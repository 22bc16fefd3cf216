-- FUNCTION: handle_base(text)
CREATE FUNCTION private.handle_base(p_text text) RETURNS text
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $$
  select left(regexp_replace(lower(coalesce(p_text, '')), '[^a-z0-9_]+', '_', 'g'), 24)
$$;

-- COMMENT: FUNCTION handle_base(p_text text)
COMMENT ON FUNCTION private.handle_base(p_text text) IS 'A handle stem from free text: lower-case, runs of other characters become _, at most 24 long.';

-- ACL: FUNCTION handle_base(p_text text)
REVOKE ALL ON FUNCTION private.handle_base(p_text text) FROM PUBLIC;
