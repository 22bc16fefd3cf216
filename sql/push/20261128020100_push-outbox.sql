/*
 * push-outbox: notifications become push messages, sent by the job worker through Expo.
 *
 *   notification inserted ──(statement trigger, same transaction)──► private.push_messages, one per
 *       active device, unless the kind is turned off; in quiet hours time-sensitive kinds are
 *       suppressed and the rest wait for the quiet hours' end ─► job push:send (coalesced)
 *   push:send  private.push_claim takes due messages within the project rate (token bucket),
 *       collapsing a burst per (device, collapse key) into one; the worker sends them in chunks
 *       and records tickets with private.push_results
 *   push:receipts (periodic)  tickets older than 15 min are checked; DeviceNotRegistered
 *       deactivates the device
 *   a DJ goes live ─► job push:fanout_live pages through the followers (private.fanout_live_batch),
 *       one short transaction per page; notifications are unique per (user, event), so a
 *       worker that dies halfway and is re-run notifies nobody twice.
 *
 * Messages claimed by a worker that died before recording the answer stay `sending` and are
 * marked `lost` after 5 minutes, never re-sent: Expo has no idempotency key, so a resend could
 * notify someone twice (we prefer one lost push to a duplicate).
 */

insert into private.settings (key, value, description) values
  ('push_rate_per_second', '540', 'Push notifications sent per second, all workers together (Expo allows 600).'),
  ('push_burst', '60', 'Token bucket capacity: burst + rate stays within Expo''s 600 in any second.');

create type private.push_status as enum ('queued', 'sending', 'sent', 'failed', 'suppressed', 'collapsed', 'lost');
comment on type private.push_status is
  'queued -> sending -> sent | failed (or queued again to retry); suppressed (quiet hours), collapsed (folded into '
  'another), lost (its worker died mid-send).';

create table private.push_messages (
  id bigint generated always as identity primary key,
  notification_id uuid not null references public.notifications (id) on delete cascade,
  device_id uuid not null references public.push_devices (id) on delete cascade,
  kind public.notification_kind not null,
  collapse_key text not null,
  title text not null,
  body text not null,
  data jsonb not null default '{}',
  ttl_seconds integer not null,
  status private.push_status not null default 'queued',
  not_before timestamptz not null default now(),
  attempts integer not null default 0,
  claimed_at timestamptz,
  collapsed_into bigint references private.push_messages (id) on delete set null,
  collapsed_count integer not null default 1,
  ticket_id text,
  error text,
  receipt_status text,
  receipt_checked_at timestamptz,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  unique (notification_id, device_id)
);
comment on table private.push_messages is 'One push per (notification, device): the outbox the push worker drains.';
comment on column private.push_messages.id is 'Message id.';
comment on column private.push_messages.notification_id is 'The notification it pushes (one per user and event).';
comment on column private.push_messages.device_id is 'Where to.';
comment on column private.push_messages.kind is 'The notification kind (for preferences and metrics).';
comment on column private.push_messages.collapse_key is 'Messages waiting together with the same device and key are sent as one.';
comment on column private.push_messages.title is 'Notification title.';
comment on column private.push_messages.body is 'Notification text.';
comment on column private.push_messages.data is 'Data for the app (what to open).';
comment on column private.push_messages.ttl_seconds is 'How long the push is worth delivering (Expo ttl).';
comment on column private.push_messages.status is 'See private.push_status.';
comment on column private.push_messages.not_before is 'Not sent before (quiet hours, retry backoff).';
comment on column private.push_messages.attempts is 'Send attempts so far.';
comment on column private.push_messages.claimed_at is 'When a worker took it to send.';
comment on column private.push_messages.collapsed_into is 'The message it was folded into, if collapsed.';
comment on column private.push_messages.collapsed_count is 'How many messages this one stands for.';
comment on column private.push_messages.ticket_id is 'Expo ticket (receipt) id once accepted.';
comment on column private.push_messages.error is 'Expo error code or HTTP failure, if any.';
comment on column private.push_messages.receipt_status is 'ok, an Expo receipt error code, or expired (no receipt in 24 h).';
comment on column private.push_messages.receipt_checked_at is 'When the receipt was read.';
comment on column private.push_messages.created_at is 'When it was queued.';
comment on column private.push_messages.sent_at is 'When Expo accepted it.';
create index push_messages_due_idx on private.push_messages (not_before) where status = 'queued';
create index push_messages_receipts_idx on private.push_messages (sent_at)
  where status = 'sent' and receipt_checked_at is null;
create index push_messages_device_idx on private.push_messages (device_id);
create index push_messages_collapsed_into_idx on private.push_messages (collapsed_into)
  where collapsed_into is not null;
create index push_messages_sending_idx on private.push_messages (claimed_at) where status = 'sending';
alter table private.push_messages enable row level security;
-- NOTE: no policies and no grants: the push worker and operators only.

create table private.push_rate (
  id boolean primary key default true check (id),
  tokens double precision not null,
  refilled_at timestamptz not null
);
comment on table private.push_rate is 'The project-wide token bucket that keeps all push workers within Expo''s rate.';
comment on column private.push_rate.id is 'Single row.';
comment on column private.push_rate.tokens is 'Notifications that may be sent now.';
comment on column private.push_rate.refilled_at is 'When tokens were last computed.';
alter table private.push_rate enable row level security;
insert into private.push_rate (tokens, refilled_at) values (0, now());

-- what a push says ------------------------------------------------------------------------------

create function private.push_text(p_note public.notifications)
returns table (title text, body text, collapse_key text, ttl_seconds integer, data jsonb)
language sql stable
set search_path = ''
as $$
  with actor as (select p.display_name from public.profiles as p where p.id = p_note.actor_id),
  session as (select s.title from public.dj_sessions as s where s.id = p_note.session_id)
  select x.title, left(x.body, 178), x.collapse_key, x.ttl,
    jsonb_build_object('notification_id', p_note.id, 'kind', p_note.kind, 'session_id', p_note.session_id)
  from (
    select
      case p_note.kind
        when 'dj_live' then coalesce((select a.display_name from actor as a), 'A DJ you follow') || ' is live'
        when 'request_playing' then 'Your request is playing'
        when 'mention' then coalesce((select a.display_name from actor as a), 'Someone') || ' mentioned you'
        when 'new_follower' then 'New follower'
        when 'tip_received' then 'You got a tip'
        else 'Your subscription needs attention'
      end as title,
      case p_note.kind
        when 'dj_live' then coalesce((select s.title from session as s), 'Tap to listen')
        when 'request_playing' then coalesce((
          select t.title || ' — ' || t.artist from public.tracks as t where t.id = (p_note.payload ->> 'track_id')::uuid
        ), 'Tap to listen')
        when 'mention' then coalesce(p_note.payload ->> 'excerpt', '')
        when 'new_follower' then coalesce((select a.display_name from actor as a), 'Someone') || ' followed you'
        when 'tip_received' then upper(p_note.payload ->> 'currency') || ' ' || (
          select round((p_note.payload ->> 'amount')::numeric / (10::numeric ^ d.n), d.n)::text
          from (select coalesce((
            select c.decimals::integer from public.tip_currencies as c where c.currency = p_note.payload ->> 'currency'
          ), 2) as n) as d
        ) || coalesce(': ' || (p_note.payload ->> 'message'), '')
        else 'Update your payment details to keep your benefits.'
      end as body,
      p_note.kind::text || ':' || coalesce(p_note.session_id::text, '') as collapse_key,  -- per kind and session
      case when p_note.kind in ('dj_live', 'mention') then 3600 when p_note.kind = 'request_playing' then 300 else 86400 end
        as ttl
  ) as x
$$;
comment on function private.push_text(public.notifications) is
  'Title, text, collapse key, time to live and app data of the push for a notification.';

create function private.quiet_until(p_user_id uuid, p_at timestamptz) returns timestamptz
language sql stable
set search_path = ''
as $$
  select case
    when (q.quiet_start <= q.quiet_end and q.t >= q.quiet_start and q.t < q.quiet_end)
      or (q.quiet_start > q.quiet_end and (q.t >= q.quiet_start or q.t < q.quiet_end))
    then (q.day + q.quiet_end + case when q.quiet_end <= q.t then interval '1 day' else interval '0' end)
      at time zone q.time_zone
  end
  from (
    select p.quiet_start, p.quiet_end, p.time_zone,
      (p_at at time zone p.time_zone)::time as t, (p_at at time zone p.time_zone)::date as day
    from public.push_preferences as p
    where p.user_id = p_user_id and p.quiet_start is not null
  ) as q
$$;
comment on function private.quiet_until(uuid, timestamptz) is
  'When the user''s quiet hours around p_at end, or NULL if p_at is outside them (or they have none).';

create function private.tg_notifications__push() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_queued integer;
begin
  with candidates as (
    select note, private.quiet_until(n.user_id, now()) as quiet_until
    from inserted as n
    join public.notifications as note on note.id = n.id  -- the table's row type, for push_text
    where not exists (
      select 1 from public.push_preferences as p where p.user_id = n.user_id and n.kind = any (p.disabled_kinds)
    )
  )
  insert into private.push_messages (notification_id, device_id, kind, collapse_key, title, body, data, ttl_seconds,
    status, not_before)
  select (c.note).id, d.id, (c.note).kind, x.collapse_key, x.title, x.body, x.data, x.ttl_seconds,
    case when c.quiet_until is not null and (c.note).kind in ('dj_live', 'request_playing') then 'suppressed'
      else 'queued' end::private.push_status,
    coalesce(c.quiet_until, now())
  from candidates as c
  join public.push_devices as d on d.user_id = (c.note).user_id and d.active
  cross join lateral private.push_text(c.note) as x
  on conflict (notification_id, device_id) do nothing;
  get diagnostics v_queued = row_count;
  if v_queued > 0 then
    perform private.enqueue_job('push:send', '{}', 'push', 'push:send');
  end if;
  return null;
end
$$;
comment on function private.tg_notifications__push() is
  'New notifications become push messages for the users'' active devices (preferences and quiet hours applied).';
create trigger _700_push after insert on public.notifications
  referencing new table as inserted
  for each statement execute function private.tg_notifications__push();
