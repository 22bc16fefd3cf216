/*
 * ops-retention: what is kept how long, and sessions nobody is running any more. Run by the
 * service's periodic maintenance (whatssound_svc/periodic.py); docs/runbook.md has the policy.
 *
 *   payment webhook events   handled ones 90 days (Stripe lists 30 days of events, so a
 *                            reconciliation never re-applies a pruned one); unhandled: kept
 *   push messages            30 days (receipts are gone after 24 h anyway)
 *   notifications            read ones 90 days; unread ones 180 days
 *   finished jobs            7 days; failed (dead-lettered) ones 30 days
 *   realtime log, SMS audit  their own prunes (realtime-events, auth-sms docs)
 */

insert into private.settings (key, value, description) values
  ('session_abandoned_minutes', '30', 'A live session whose DJ has not been seen for this long is ended.'),
  ('retention_webhook_days', '90', 'Handled payment webhook events are deleted after this many days.'),
  ('retention_push_days', '30', 'Push messages are deleted after this many days.'),
  ('retention_read_notification_days', '90', 'Read notifications are deleted after this many days.'),
  ('retention_unread_notification_days', '180', 'Unread notifications are deleted after this many days.'),
  ('retention_finished_job_days', '7', 'Succeeded, cancelled and aborted jobs are deleted after this many days.'),
  ('retention_failed_job_days', '30', 'Failed (dead-lettered) jobs are deleted after this many days.');

create function private.end_abandoned_sessions() returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_ended integer;
  v_after interval := make_interval(mins => (
    select (s.value)::integer from private.settings as s where s.key = 'session_abandoned_minutes'
  ));
begin
  update public.dj_sessions as s set status = 'ended'
  where s.status = 'live' and s.started_at < now() - v_after
    and not exists (  -- the DJ (whose app heartbeats like a listener's) has been seen lately
      select 1 from public.session_members as m
      where m.session_id = s.id and m.user_id = s.dj_id and m.left_at is null and m.last_seen_at > now() - v_after
    )
    and (
      exists (select 1 from public.session_members as m where m.session_id = s.id and m.user_id = s.dj_id)
      or not exists (  -- a DJ who never joined their room: ended only once nobody at all is there
        select 1 from public.session_members as m
        where m.session_id = s.id and m.left_at is null and m.last_seen_at > now() - v_after
      )
    );
  get diagnostics v_ended = row_count;
  return v_ended;
end
$$;
comment on function private.end_abandoned_sessions() is
  'End live sessions whose DJ has not been present for session_abandoned_minutes (their app died or they left), '
  'or, if the DJ never joined, where nobody has been; returns how many. Listeners get session.status as usual.';

create function private.prune_retention() returns jsonb
language plpgsql volatile
set search_path = ''
as $$
declare
  v_done jsonb := '{}';
  v_count integer;
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
  return v_done || jsonb_build_object('jobs', v_count);
end
$$;
comment on function private.prune_retention() is
  'Delete what the retention policy no longer keeps (settings retention_*); returns the rows deleted per table.';
