-- FUNCTION: sync_cron()
CREATE FUNCTION private.sync_cron() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $_$
declare
  v_cron name := (
    select e.extnamespace::regnamespace::name from pg_catalog.pg_extension as e where e.extname = 'pg_cron'
  );
  v_task private.schedule;
  v_count integer := 0;
begin
  if v_cron is null then
    return 0;  -- no pg_cron here: the service runs the declaration alone
  end if;
  -- Dynamic SQL on pg_cron's own schema: it exists only where pg_cron does.
  for v_task in select * from private.schedule order by name loop
    execute format('select %I.schedule($1, $2, $3)', v_cron)
    using 'whatssound-' || replace(v_task.name, '_', '-'), private.cron_spec(v_task.every), v_task.statement;
    v_count := v_count + 1;
  end loop;
  execute format($sql$
    select %1$I.unschedule(j.jobname) from %1$I.job as j
    where j.jobname like 'whatssound-%%'
      and j.jobname not in (select 'whatssound-' || replace(s.name, '_', '-') from private.schedule as s)
  $sql$, v_cron);
  return v_count;
end
$_$;

-- COMMENT: FUNCTION sync_cron()
COMMENT ON FUNCTION private.sync_cron() IS 'Make pg_cron''s whatssound-* jobs match private.schedule (schedule or update each, unschedule the rest); a no-op without pg_cron. Returns how many are scheduled.';

-- ACL: FUNCTION sync_cron()
REVOKE ALL ON FUNCTION private.sync_cron() FROM PUBLIC;
