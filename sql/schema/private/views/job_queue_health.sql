-- VIEW: job_queue_health
CREATE VIEW private.job_queue_health WITH (security_invoker='true') AS
 SELECT j.queue_name AS queue,
    (j.status)::text AS status,
    count(*) AS jobs,
        CASE
            WHEN (j.status = 'todo'::procrastinate.procrastinate_job_status) THEN GREATEST(EXTRACT(epoch FROM (now() - min(COALESCE(j.scheduled_at, e.at)))), (0)::numeric)
            ELSE NULL::numeric
        END AS oldest_waiting_s
   FROM (procrastinate.procrastinate_jobs j
     LEFT JOIN LATERAL ( SELECT min(ev.at) AS at
           FROM procrastinate.procrastinate_events ev
          WHERE ((ev.job_id = j.id) AND (ev.type = 'deferred'::procrastinate.procrastinate_job_event_type))) e ON (true))
  GROUP BY j.queue_name, j.status;

-- COMMENT: VIEW job_queue_health
COMMENT ON VIEW private.job_queue_health IS 'Per queue and state: how many jobs, and for waiting ones how long the oldest has been due (seconds).';
