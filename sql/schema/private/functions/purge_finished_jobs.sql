-- FUNCTION: purge_finished_jobs(interval, boolean, boolean)
CREATE FUNCTION private.purge_finished_jobs(p_older_than interval, p_include_failed boolean, p_dry_run boolean) RETURNS bigint
    LANGUAGE plpgsql STRICT
    SET search_path TO ''
    AS $$
declare
  v_statuses text[] := array['succeeded', 'cancelled', 'aborted']
    || case when p_include_failed then array['failed'] else array[]::text[] end;
  v_count bigint;
begin
  if p_dry_run then
    select count(*) into v_count from procrastinate.procrastinate_jobs as j
    where j.status::text = any(v_statuses)
      and not exists (
        select 1 from procrastinate.procrastinate_events as e
        where e.job_id = j.id and e.at > now() - p_older_than
      );
    return v_count;
  end if;
  delete from procrastinate.procrastinate_jobs as j
  where j.status::text = any(v_statuses)
    and not exists (
      select 1 from procrastinate.procrastinate_events as e
      where e.job_id = j.id and e.at > now() - p_older_than
    );
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

-- COMMENT: FUNCTION purge_finished_jobs(p_older_than interval, p_include_failed boolean, p_dry_run boolean)
COMMENT ON FUNCTION private.purge_finished_jobs(p_older_than interval, p_include_failed boolean, p_dry_run boolean) IS 'Delete finished jobs (succeeded, cancelled, aborted; failed too with p_include_failed) with no event newer than p_older_than; returns how many (with p_dry_run: how many it would, deleting nothing) (whatssound jobs purge).';

-- ACL: FUNCTION purge_finished_jobs(p_older_than interval, p_include_failed boolean, p_dry_run boolean)
REVOKE ALL ON FUNCTION private.purge_finished_jobs(p_older_than interval, p_include_failed boolean, p_dry_run boolean) FROM PUBLIC;
