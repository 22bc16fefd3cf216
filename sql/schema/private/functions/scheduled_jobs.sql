-- FUNCTION: scheduled_jobs(name)
CREATE FUNCTION private.scheduled_jobs(p_cron name DEFAULT private.cron_schema()) RETURNS TABLE(name text, every interval, runs text, runs_on text, last_run_at timestamp with time zone, description text)
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $_$
declare
  v_cron_runs jsonb := '{}';
begin
  if p_cron is not null then
    execute format($sql$
      select coalesce(jsonb_object_agg(j.jobname, r.started), '{}') from %1$I.job as j
      cross join lateral (
        select max(d.start_time) as started from %1$I.job_run_details as d where d.jobid = j.jobid
      ) as r
      where j.jobname like 'whatssound-%%'
    $sql$, p_cron) into v_cron_runs;
  end if;
  return query
    select s.name, s.every, coalesce(s.statement, s.task), s.runs_on,
      case s.runs_on
        when 'database' then (v_cron_runs ->> private.cron_job_name(s.name))::timestamptz
        when 'workers' then (
          select max(e.at) from procrastinate.procrastinate_jobs as j
          join procrastinate.procrastinate_events as e on e.job_id = j.id
          where j.task_name = s.task and e.type = 'started'
        )
      end,
      s.description
    from private.schedule as s
    order by s.name;
end
$_$;

-- COMMENT: FUNCTION scheduled_jobs(p_cron name)
COMMENT ON FUNCTION private.scheduled_jobs(p_cron name) IS 'Every declared job with when it last started, where that is recorded: pg_cron''s run history (installed in p_cron) for database jobs, the queue for workers'' tasks; null for the service''s own runs (whatssound jobs schedule).';

-- ACL: FUNCTION scheduled_jobs(p_cron name)
REVOKE ALL ON FUNCTION private.scheduled_jobs(p_cron name) FROM PUBLIC;
