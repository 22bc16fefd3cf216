-- FUNCTION: enqueue_job(text, jsonb, text, text, text, timestamp with time zone, integer)
CREATE FUNCTION private.enqueue_job(p_task text, p_args jsonb DEFAULT '{}'::jsonb, p_queue text DEFAULT 'default'::text, p_queueing_lock text DEFAULT NULL::text, p_lock text DEFAULT NULL::text, p_run_at timestamp with time zone DEFAULT NULL::timestamp with time zone, p_priority integer DEFAULT 0) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_ids bigint[];
begin
  v_ids := procrastinate.procrastinate_defer_jobs_v1(array[
    row(p_queue, p_task, p_priority, p_lock, p_queueing_lock, coalesce(p_args, '{}'), p_run_at)
      ::procrastinate.procrastinate_job_to_defer_v1
  ]);
  return v_ids[1];
exception
  when unique_violation then
    return null;  -- a job with this queueing lock is already waiting: it will do this work too
end
$$;

-- COMMENT: FUNCTION enqueue_job(p_task text, p_args jsonb, p_queue text, p_queueing_lock text, p_lock text, p_run_at timestamp with time zone, p_priority integer)
COMMENT ON FUNCTION private.enqueue_job(p_task text, p_args jsonb, p_queue text, p_queueing_lock text, p_lock text, p_run_at timestamp with time zone, p_priority integer) IS 'Enqueue a job in the current transaction (visible to workers at commit). p_queueing_lock: at most one such job waiting (NULL is returned when one already is); p_lock: such jobs run one at a time; p_run_at: not before.';

-- ACL: FUNCTION enqueue_job(p_task text, p_args jsonb, p_queue text, p_queueing_lock text, p_lock text, p_run_at timestamp with time zone, p_priority integer)
REVOKE ALL ON FUNCTION private.enqueue_job(p_task text, p_args jsonb, p_queue text, p_queueing_lock text, p_lock text, p_run_at timestamp with time zone, p_priority integer) FROM PUBLIC;
