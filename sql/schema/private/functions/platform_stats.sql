-- FUNCTION: platform_stats()
CREATE FUNCTION private.platform_stats() RETURNS SETOF private.platform_now
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select n.* from private.platform_now as n
$$;

-- COMMENT: FUNCTION platform_stats()
COMMENT ON FUNCTION private.platform_stats() IS 'The one row of private.platform_now: live sessions and listeners, chat, tips today, pushes, jobs and webhooks waiting (whatssound stats).';

-- ACL: FUNCTION platform_stats()
REVOKE ALL ON FUNCTION private.platform_stats() FROM PUBLIC;
