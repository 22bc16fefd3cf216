-- VIEW: platform_now
CREATE VIEW private.platform_now WITH (security_invoker='true') AS
 SELECT ( SELECT count(*) AS count
           FROM public.dj_sessions
          WHERE (dj_sessions.status = 'live'::public.session_status)) AS live_sessions,
    ( SELECT COALESCE(sum(dj_sessions.listener_count), (0)::bigint) AS "coalesce"
           FROM public.dj_sessions
          WHERE (dj_sessions.status = 'live'::public.session_status)) AS listeners,
    ( SELECT count(*) AS count
           FROM public.chat_messages
          WHERE (chat_messages.created_at > (now() - '00:01:00'::interval))) AS messages_last_minute,
    ( SELECT count(*) AS count
           FROM public.tips
          WHERE ((tips.status = 'succeeded'::public.tip_status) AND (tips.succeeded_at >= date_trunc('day'::text, now())))) AS tips_today,
    ( SELECT COALESCE(jsonb_object_agg(t.currency, t.total), '{}'::jsonb) AS "coalesce"
           FROM ( SELECT tips.currency,
                    sum((tips.amount - tips.amount_refunded)) AS total
                   FROM public.tips
                  WHERE ((tips.status = ANY (ARRAY['succeeded'::public.tip_status, 'refunded'::public.tip_status])) AND (tips.succeeded_at >= date_trunc('day'::text, now())))
                  GROUP BY tips.currency) t) AS tipped_today,
    ( SELECT count(*) AS count
           FROM private.push_messages
          WHERE (push_messages.sent_at > (now() - '01:00:00'::interval))) AS pushes_last_hour,
    ( SELECT COALESCE(sum(job_queue_health.jobs), (0)::numeric) AS "coalesce"
           FROM private.job_queue_health
          WHERE (job_queue_health.status = 'todo'::text)) AS jobs_waiting,
    ( SELECT count(*) AS count
           FROM procrastinate.procrastinate_jobs
          WHERE (procrastinate_jobs.status = 'failed'::procrastinate.procrastinate_job_status)) AS jobs_failed,
    ( SELECT count(*) AS count
           FROM private.webhook_events
          WHERE (webhook_events.handled_at IS NULL)) AS webhooks_pending;

-- COMMENT: VIEW platform_now
COMMENT ON VIEW private.platform_now IS 'The platform right now: live sessions and listeners, chat per minute, tips today (smallest unit per currency), pushes, jobs and webhooks waiting.';
