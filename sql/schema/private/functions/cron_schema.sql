-- FUNCTION: cron_schema()
CREATE FUNCTION private.cron_schema() RETURNS name
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select e.extnamespace::regnamespace::name from pg_catalog.pg_extension as e where e.extname = 'pg_cron'
$$;

-- COMMENT: FUNCTION cron_schema()
COMMENT ON FUNCTION private.cron_schema() IS 'The schema pg_cron is installed in, or null where it is not.';

-- ACL: FUNCTION cron_schema()
REVOKE ALL ON FUNCTION private.cron_schema() FROM PUBLIC;
