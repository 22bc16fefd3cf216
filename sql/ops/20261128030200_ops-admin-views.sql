/*
 * ops-admin-views: what `whatssound users show` and `whatssound stats` print (one place for the
 * definitions, readable in the SQL editor too).
 */

create view private.user_overview with (security_invoker = true) as
select
  p.id,
  p.handle,
  p.display_name,
  p.is_dj,
  u.phone,
  u.email,
  u.created_at,
  u.last_sign_in_at,
  u.is_anonymous,
  u.banned_until::text as banned_until,
  (
    select count(*) from public.push_devices as d
    where d.user_id = p.id and d.active
  ) as active_devices,
  (
    select coalesce(json_agg(e.entitlement), '[]') from public.entitlements as e
    where e.user_id = p.id and (e.expires_at is null or e.expires_at > now())
  ) as entitlements,
  (
    select count(*) from public.dj_bans as b
    where b.user_id = p.id and b.revoked_at is null
  ) as dj_bans,
  (
    select count(*) from public.reports as r
    where r.target_user_id = p.id
  ) as reports_against,
  (
    select count(*) from public.chat_messages as m
    where m.author_id = p.id
  ) as chat_messages,
  (
    select count(*) from public.tips as t
    where t.tipper_id = p.id and t.status = 'succeeded'
  ) as tips_given
from public.profiles as p
inner join auth.users as u on p.id = u.id;
comment on view private.user_overview is 'One row per user: account, sign-in, devices, entitlements, bans and activity.';

create view private.platform_now with (security_invoker = true) as
select
  (
    select count(*) from public.dj_sessions
    where status = 'live'
  ) as live_sessions,
  (
    select coalesce(sum(listener_count), 0) from public.dj_sessions
    where status = 'live'
  ) as listeners,
  (
    select count(*) from public.chat_messages
    where created_at > now() - interval '1 minute'
  ) as messages_last_minute,
  (
    select count(*) from public.tips
where status = 'succeeded' and succeeded_at >= date_trunc('day', now())
  ) as tips_today,
  (
    select coalesce(jsonb_object_agg(t.currency, t.total), '{}') from (
      select
currency,
sum(amount - amount_refunded) as total
from public.tips
      where status in ('succeeded', 'refunded') and succeeded_at >= date_trunc('day', now())
      group by currency
    ) as t
  ) as tipped_today,
  (
    select count(*) from private.push_messages
    where sent_at > now() - interval '1 hour'
  ) as pushes_last_hour,
  (
    select coalesce(sum(jobs), 0) from private.job_queue_health
    where status = 'todo'
  ) as jobs_waiting,
  (
    select count(*) from procrastinate.procrastinate_jobs
    where status = 'failed'
  ) as jobs_failed,
  (
    select count(*) from private.webhook_events
    where handled_at is null
  ) as webhooks_pending;
comment on view private.platform_now is
  'The platform right now: live sessions and listeners, chat per minute, tips today (smallest unit per currency), '
  'pushes, jobs and webhooks waiting.';
