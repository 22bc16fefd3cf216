-- FUNCTION: push_posting(jsonb)
CREATE FUNCTION private.push_posting(p_claims jsonb) RETURNS SETOF bigint
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  update private.push_messages as m set posted_at = now()
  from jsonb_to_recordset(p_claims) as c (id bigint, attempts integer)
  where m.id = c.id and m.attempts = c.attempts and m.status = 'sending' and m.posted_at is null
  returning m.id
$$;

-- COMMENT: FUNCTION push_posting(p_claims jsonb)
COMMENT ON FUNCTION private.push_posting(p_claims jsonb) IS 'Just before a request leaves for Expo: mark its messages [{id, attempts}] posted, if still claimed by this attempt; returns the ids marked (only those may be sent).';

-- ACL: FUNCTION push_posting(p_claims jsonb)
REVOKE ALL ON FUNCTION private.push_posting(p_claims jsonb) FROM PUBLIC;
