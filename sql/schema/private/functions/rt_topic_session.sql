-- FUNCTION: rt_topic_session(text)
CREATE FUNCTION private.rt_topic_session(p_topic text) RETURNS uuid
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO ''
    AS $_$
begin
  -- PL/pgSQL, not SQL: an inlined SQL body lets the planner cast before the pattern is checked.
  if p_topic ~ '^(session|staff):[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
    return substr(p_topic, strpos(p_topic, ':') + 1)::uuid;
  end if;
  return null;
end
$_$;

-- COMMENT: FUNCTION rt_topic_session(p_topic text)
COMMENT ON FUNCTION private.rt_topic_session(p_topic text) IS 'The session of a well-formed session:<uuid> or staff:<uuid> topic, else NULL (never an error).';

-- ACL: FUNCTION rt_topic_session(p_topic text)
REVOKE ALL ON FUNCTION private.rt_topic_session(p_topic text) FROM PUBLIC;
