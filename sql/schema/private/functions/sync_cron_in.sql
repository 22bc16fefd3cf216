-- FUNCTION: sync_cron_in(name)
CREATE FUNCTION private.sync_cron_in(p_cron name) RETURNS integer
    LANGUAGE plpgsql STRICT
    SET search_path TO ''
    AS $_$
declare
  v_task private.schedule;
  v_count integer := 0;
begin
  -- Dynamic SQL on pg_cron's own schema: it exists only where pg_cron does.
  for v_task in select * from private.schedule as s where s.runs_on = 'database' order by s.name loop
    execute format('select %I.schedule($1, $2, $3)', p_cron)
    using private.cron_job_name(v_task.name), private.cron_spec(v_task.every), v_task.statement;
    v_count := v_count + 1;
  end loop;
  execute format($sql$
    select %1$I.unschedule(j.jobname) from %1$I.job as j
    where j.jobname like 'whatssound-%%'
      and j.jobname not in (
        select private.cron_job_name(s.name) from private.schedule as s where s.runs_on = 'database'
      )
  $sql$, p_cron);
  return v_count;
end
$_$;

-- COMMENT: FUNCTION sync_cron_in(p_cron name)
COMMENT ON FUNCTION private.sync_cron_in(p_cron name) IS 'Make the whatssound-* jobs of pg_cron (installed in p_cron) match the runs_on = database rows of private.schedule: schedule or update each, unschedule the rest. Returns how many are scheduled.';

-- ACL: FUNCTION sync_cron_in(p_cron name)
REVOKE ALL ON FUNCTION private.sync_cron_in(p_cron name) FROM PUBLIC;
