/*
 * ops-cli-functions: the admin CLI's queries as named database functions (issue 20).
 *
 * Every `whatssound` operator command used to carry its SQL inline, against private (and some
 * public) tables. Each query now lives here under a name the CLI calls, readable and testable in
 * the SQL editor, so a command only calls and prints. The statements are the CLI's own, moved
 * unchanged except where noted:
 *   - destructive ones take p_dry_run (count, change nothing) so `--dry-run` asks the database
 *     exactly what the real run would do;
 *   - timestamps are returned as timestamptz (not ::text) so the CLI prints them as ISO 8601;
 *   - find_users takes the query alone and picks its digits (6 or more) itself, as the CLI did;
 *   - webhook_replay returns how each replayed event came out (the CLI re-read only the first);
 *   - private.user_overview is recreated (a view column cannot change type in place) with
 *     banned_until as timestamptz instead of text; its body is otherwise the one of
 *     ops-admin-views, its only definition.
 *
 * All of them run as the caller (the operator connects as postgres), pin search_path = '' and
 * qualify every name.
 * NOTE: no grants anywhere in this file: these are operator tooling only, never callable by anon,
 * authenticated or service_role (the foundation's default privileges revoke execute from public).
 */

-- helper functions

/* Webhook ledger: what `whatssound webhooks pending|list|replay` show and do. */

create function private.webhook_events_pending(p_limit integer default 100)
returns table (
  provider text,
  event_id text,
  event_type text,
  attempts integer,
  next_attempt_at timestamptz,
  last_error text
)
language sql stable strict
set search_path = ''
as $$
  select e.provider, e.event_id, e.event_type, e.attempts, e.next_attempt_at, coalesce(e.last_error, '')
  from private.webhook_events as e
  where e.handled_at is null
  order by e.provider_created_at
  limit p_limit
$$;
comment on function private.webhook_events_pending(integer) is
  'Stored webhook events not handled yet, oldest first (provider order), with the last error (whatssound webhooks pending).';

create function private.webhook_events_recent(p_provider text, p_limit integer)
returns table (
  provider text,
  event_id text,
  event_type text,
  received_at timestamptz,
  deliveries integer,
  handled boolean,
  attempts integer,
  last_error text
)
language sql stable
set search_path = ''
as $$
  select
    e.provider, e.event_id, e.event_type, e.received_at, e.deliveries, e.handled_at is not null,
    e.attempts, e.last_error
  from private.webhook_events as e
  where p_provider is null or e.provider = p_provider
  order by e.received_at desc
  limit p_limit
$$;
comment on function private.webhook_events_recent(text, integer) is
  'Stored webhook events newest first, of one provider or (null) all (whatssound webhooks list).';

create function private.webhook_replay(p_event_id text)
returns table (
  provider text,
  event_type text,
  handled boolean,
  attempts integer,
  last_error text
)
language plpgsql volatile strict
set search_path = ''
as $$
begin
  update private.webhook_events as e set handled_at = null, next_attempt_at = now()
  where e.event_id = p_event_id;
  if not found then
    return;
  end if;
  perform private.process_webhook_events();
  return query
  select e.provider, e.event_type, e.handled_at is not null, e.attempts, e.last_error
  from private.webhook_events as e
  where e.event_id = p_event_id
  order by e.provider;
end
$$;
comment on function private.webhook_replay(text) is
  'Mark a stored event (every provider''s with this id) unhandled, process the ledger now, and return how each '
  'came out; no rows when no such event is stored (whatssound webhooks replay).';

/* Sessions: `whatssound sessions live|end`. */

create function private.live_sessions()
returns table (
  id uuid,
  title text,
  dj text,
  listeners integer,
  visibility text,
  started_at timestamptz
)
language sql stable
set search_path = ''
as $$
  select s.id, s.title, p.handle, s.listener_count, s.visibility::text, s.started_at
  from public.dj_sessions as s
  inner join public.profiles as p on s.dj_id = p.id
  where s.status = 'live'
  order by s.listener_count desc, s.started_at
$$;
comment on function private.live_sessions() is
  'Live sessions, busiest first, with their DJ''s handle (whatssound sessions live).';

create function private.end_live_session(p_session_id uuid, p_dry_run boolean)
returns table (title text, listeners integer)
language plpgsql volatile strict
set search_path = ''
as $$
begin
  if p_dry_run then
    return query
    select s.title, s.listener_count from public.dj_sessions as s
    where s.id = p_session_id and s.status = 'live';
    return;
  end if;
  return query
  update public.dj_sessions as s set status = 'ended'
  where s.id = p_session_id and s.status = 'live'
  returning s.title, s.listener_count;
end
$$;
comment on function private.end_live_session(uuid, boolean) is
  'End a live session as its DJ would (listeners get session.status ''ended''); with p_dry_run only return it. '
  'No row when the session is not live (whatssound sessions end).';

/* Jobs: `whatssound jobs failed|purge`. */

create function private.failed_jobs(p_limit integer)
returns table (
  id bigint,
  task text,
  queue text,
  attempts integer,
  last_error text,
  failed_at timestamptz
)
language sql stable strict
set search_path = ''
as $$
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
comment on function private.failed_jobs(integer) is
  'Dead-lettered jobs (retries exhausted), newest first, with their last error (whatssound jobs failed).';

create function private.purge_finished_jobs(p_older_than interval, p_include_failed boolean, p_dry_run boolean)
returns bigint
language plpgsql volatile strict
set search_path = ''
as $$
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
comment on function private.purge_finished_jobs(interval, boolean, boolean) is
  'Delete finished jobs (succeeded, cancelled, aborted; failed too with p_include_failed) with no event newer than '
  'p_older_than; returns how many (with p_dry_run: how many it would, deleting nothing) (whatssound jobs purge).';

/* Media backups: `whatssound media verify|restore`. */

create function private.media_backup_inventory()
returns table (
  bucket_id text,
  name text,
  state text,
  sha256 text,
  size_bytes bigint
)
language sql stable
set search_path = ''
as $$
  select o.bucket_id, o.name, b.state, b.sha256, b.size_bytes
  from storage.objects as o
  left join private.media_backups as b on o.id = b.object_id
  where o.bucket_id in ('avatars', 'covers', 'audio')
  union all
  select b.bucket_id, b.name, 'deleted', b.sha256, b.size_bytes
  from private.media_backups as b
  where not exists (select 1 from storage.objects as o where o.id = b.object_id)
$$;
comment on function private.media_backup_inventory() is
  'Every original with its recorded R2 copy (state null: never tracked), plus copies whose original was deleted '
  '(state ''deleted'') (whatssound media verify).';

create function private.media_backup_sha256(p_bucket_id text, p_name text)
returns text
language sql stable strict
set search_path = ''
as $$
  select b.sha256 from private.media_backups as b
  where b.bucket_id = p_bucket_id and b.name = p_name and b.state = 'copied'
$$;
comment on function private.media_backup_sha256(text, text) is
  'The SHA-256 recorded when this original was copied to R2; null when no verified copy is recorded '
  '(whatssound media restore).';

/* Moderation and users: `whatssound moderation reports`, `users find|show|ban --dry-run`. */

create function private.reports_queue(p_status public.report_status, p_limit integer)
returns table (
  id uuid,
  created_at timestamptz,
  kind text,
  target uuid,
  reason text,
  details text,
  reporter text,
  reports_on_target bigint
)
language sql stable strict
set search_path = ''
as $$
  select
    r.id, r.created_at, r.target_kind::text,
    coalesce(r.target_message_id, r.target_user_id, r.target_session_id), r.reason::text,
    left(r.details, 80), p.handle,
    count(*) over (partition by coalesce(r.target_message_id, r.target_user_id, r.target_session_id))
  from public.reports as r
  left join public.profiles as p on r.reporter_id = p.id
  where r.status = p_status
  order by r.created_at
  limit p_limit
$$;
comment on function private.reports_queue(public.report_status, integer) is
  'Reports in one status, oldest first, with how many reports their target has (whatssound moderation reports).';

create function private.find_users(p_query text)
returns table (
  id uuid,
  handle text,
  name text,
  phone text,
  email text,
  created_at timestamptz,
  banned_until timestamptz
)
language sql stable strict
set search_path = ''
as $$
  with q as (
    select
      btrim(p_query) as text,
      case
        when char_length(regexp_replace(p_query, '[^0-9]', '', 'g')) >= 6
          then regexp_replace(p_query, '[^0-9]', '', 'g')
        else ''
      end as digits
  )
  select p.id, p.handle, p.display_name, u.phone::text, u.email::text, u.created_at, u.banned_until
  from public.profiles as p
  inner join auth.users as u on p.id = u.id
  cross join q
  where p.handle ilike '%' || q.text || '%' or p.display_name ilike '%' || q.text || '%'
    or (q.digits <> '' and u.phone like '%' || q.digits || '%')
    or u.email ilike q.text or p.id::text = q.text
  order by p.handle
  limit 20
$$;
comment on function private.find_users(text) is
  'At most 20 users whose handle or display name contains the query, whose phone contains its digits (6 or more), '
  'whose email is it, or whose id it is (whatssound users find).';

create function private.platform_ban_preview(p_user_id uuid)
returns table (
  handle text,
  banned_until timestamptz,
  sessions_to_end bigint,
  rooms_to_leave bigint
)
language sql stable strict
set search_path = ''
as $$
  select
    p.handle,
    u.banned_until,
    (select count(*) from public.dj_sessions as s where s.dj_id = u.id and s.status <> 'ended'),
    (select count(*) from public.session_members as m where m.user_id = u.id and m.left_at is null)
  from auth.users as u
  left join public.profiles as p on u.id = p.id
  where u.id = p_user_id
$$;
comment on function private.platform_ban_preview(uuid) is
  'What private.platform_ban would do to this user: the sessions it would end and the rooms they would leave; no '
  'row for an unknown user (whatssound users ban --dry-run).';

create function private.revenuecat_entitlements(p_user_id uuid)
returns table (entitlement text, expires_at timestamptz)
language sql stable strict
set search_path = ''
as $$
  select e.entitlement, e.expires_at from public.entitlements as e
  where e.user_id = p_user_id and e.source = 'revenuecat'
  order by e.entitlement
$$;
comment on function private.revenuecat_entitlements(uuid) is
  'A user''s entitlements from RevenueCat (expires_at null: lifetime) (whatssound reconcile revenuecat).';

/* private.user_overview again: banned_until as timestamptz (was text), for ISO 8601 output. */

drop view private.user_overview;
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
  u.banned_until,
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
