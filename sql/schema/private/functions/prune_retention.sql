-- FUNCTION: prune_retention()
CREATE FUNCTION private.prune_retention() RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $_$
declare
  v_done jsonb := '{}';
  v_count integer;
  v_max integer := (hidden.setting('retention_max_rows_per_run'))::integer;
begin
  delete from private.webhook_events as e
  where e.handled_at < now() - make_interval(days => (hidden.setting('retention_webhook_days'))::integer);
  get diagnostics v_count = row_count;
  v_done := v_done || jsonb_build_object('webhook_events', v_count);
  delete from private.push_messages as m
  where m.created_at < now() - make_interval(days => (hidden.setting('retention_push_days'))::integer);
  get diagnostics v_count = row_count;
  v_done := v_done || jsonb_build_object('push_messages', v_count);
  delete from public.notifications as n
  where (n.read_at is not null
      and n.created_at < now() - make_interval(days => (hidden.setting('retention_read_notification_days'))::integer))
    or n.created_at < now() - make_interval(days => (hidden.setting('retention_unread_notification_days'))::integer);
  get diagnostics v_count = row_count;
  v_done := v_done || jsonb_build_object('notifications', v_count);
  delete from procrastinate.procrastinate_jobs as j
  where (j.status in ('succeeded', 'cancelled', 'aborted') and not exists (
      select 1 from procrastinate.procrastinate_events as v
      where v.job_id = j.id
        and v.at > now() - make_interval(days => (hidden.setting('retention_finished_job_days'))::integer)
    ))
    or (j.status = 'failed' and not exists (
      select 1 from procrastinate.procrastinate_events as v
      where v.job_id = j.id
        and v.at > now() - make_interval(days => (hidden.setting('retention_failed_job_days'))::integer)
    ));
  get diagnostics v_count = row_count;
  v_done := v_done || jsonb_build_object('jobs', v_count);
  v_done := v_done || jsonb_build_object('chat_messages', private.prune_chat(v_max));
  v_done := v_done || jsonb_build_object('job_failures', private.prune_batched($sql$
    delete from private.job_failures as d where d.id in (
      select f.id from private.job_failures as f
      where f.failed_at < now() - make_interval(days => (hidden.setting('retention_job_failure_days'))::integer)
        and exists (select 1 from private.job_failures as n where n.job_id = f.job_id and n.id > f.id)
      limit $1
    )
  $sql$, v_max));
  return v_done || jsonb_build_object('realtime_topics', private.prune_batched($sql$
    delete from private.realtime_topics as d where d.topic in (
      select t.topic from private.realtime_topics as t
      left join public.dj_sessions as s on s.id = t.session_id
      where t.session_id is not null and t.pending = 0
        and (s.id is null or (s.status = 'ended'
          and s.ended_at < now() - make_interval(days => (hidden.setting('retention_realtime_topic_days'))::integer)))
        and not exists (select 1 from private.realtime_log as l where l.topic = t.topic)
        and not exists (select 1 from private.realtime_buffer as b where b.topic = t.topic)
      limit $1
      for update of t skip locked
    )
  $sql$, v_max));
end
$_$;

-- COMMENT: FUNCTION prune_retention()
COMMENT ON FUNCTION private.prune_retention() IS 'Delete what the retention policy no longer keeps (settings retention_*; chat lines, job failures and realtime topics in bounded batches); returns the rows deleted per table.';

-- ACL: FUNCTION prune_retention()
REVOKE ALL ON FUNCTION private.prune_retention() FROM PUBLIC;
