-- FUNCTION: prune_cron_history()
CREATE FUNCTION private.prune_cron_history() RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_cron name := (
    select e.extnamespace::regnamespace::name from pg_catalog.pg_extension as e where e.extname = 'pg_cron'
  );
begin
  if v_cron is null then
    return 0;
  end if;
  return private.prune_cron_history_in(v_cron);
end
$$;

-- COMMENT: FUNCTION prune_cron_history()
COMMENT ON FUNCTION private.prune_cron_history() IS 'Prune pg_cron''s run history to cron_history_days (a no-op without pg_cron); returns the rows deleted.';

-- ACL: FUNCTION prune_cron_history()
REVOKE ALL ON FUNCTION private.prune_cron_history() FROM PUBLIC;
