-- FUNCTION: tip_wait(text)
CREATE FUNCTION private.tip_wait(p_why text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  raise exception 'Not yet: %', p_why using errcode = 'WRTRY';
end
$$;

-- COMMENT: FUNCTION tip_wait(p_why text)
COMMENT ON FUNCTION private.tip_wait(p_why text) IS 'Give up on an event for now: the worker retries it later (WRTRY).';

-- ACL: FUNCTION tip_wait(p_why text)
REVOKE ALL ON FUNCTION private.tip_wait(p_why text) FROM PUBLIC;
