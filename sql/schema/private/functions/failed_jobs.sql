-- FUNCTION: failed_jobs(integer)
CREATE FUNCTION private.failed_jobs(p_limit integer) RETURNS TABLE(id bigint, task text, queue text, attempts integer, last_error text, failed_at timestamp with time zone)
    LANGUAGE sql STABLE STRICT
    SET search_path TO ''
    AS $$
  select j.id, j.task_name::text, j.queue_name::text, j.attempts, f.error, f.failed_at
  from procrastinate.procrastinate_jobs as j
  left join lateral (
    select x.error, x.failed_at from private.job_failures as x
    where x.job_id = j.id
    order by x.attempt desc
    limit 1
  ) as f on true
  where j.status = 'failed'
  order by j.id desc
  limit p_limit
$$;

-- COMMENT: FUNCTION failed_jobs(p_limit integer)
COMMENT ON FUNCTION private.failed_jobs(p_limit integer) IS 'Dead-lettered jobs (retries exhausted), newest first, with their last error (whatssound jobs failed).';

-- ACL: FUNCTION failed_jobs(p_limit integer)
REVOKE ALL ON FUNCTION private.failed_jobs(p_limit integer) FROM PUBLIC;
