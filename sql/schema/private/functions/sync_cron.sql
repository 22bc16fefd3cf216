-- FUNCTION: sync_cron()
CREATE FUNCTION private.sync_cron() RETURNS integer
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  -- No pg_cron here: nothing to schedule, the service runs the declaration alone.
  select coalesce(private.sync_cron_in(private.cron_schema()), 0)
$$;

-- COMMENT: FUNCTION sync_cron()
COMMENT ON FUNCTION private.sync_cron() IS 'Make pg_cron''s whatssound-* jobs match private.schedule (private.sync_cron_in); a no-op without pg_cron. Returns how many are scheduled.';

-- ACL: FUNCTION sync_cron()
REVOKE ALL ON FUNCTION private.sync_cron() FROM PUBLIC;
