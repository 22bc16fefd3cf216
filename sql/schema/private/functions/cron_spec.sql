-- FUNCTION: cron_spec(interval)
CREATE FUNCTION private.cron_spec(p_every interval) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
    SET search_path TO ''
    AS $$
  -- pg_cron takes '[1-59] seconds' or a cron expression (minutes and hours here).
  select case
    when p_every < interval '1 minute' then extract(epoch from p_every)::integer || ' seconds'
    when p_every < interval '1 hour' then '*/' || (extract(epoch from p_every) / 60)::integer || ' * * * *'
    else '0 */' || (extract(epoch from p_every) / 3600)::integer || ' * * *'
  end
$$;

-- COMMENT: FUNCTION cron_spec(p_every interval)
COMMENT ON FUNCTION private.cron_spec(p_every interval) IS 'The pg_cron schedule for a declared interval (seconds, minutes or hours).';

-- ACL: FUNCTION cron_spec(p_every interval)
REVOKE ALL ON FUNCTION private.cron_spec(p_every interval) FROM PUBLIC;
