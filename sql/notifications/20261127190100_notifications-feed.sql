/*
 * notifications-feed: the in-app notification feed.
 *
 * One row per (user, event), written by triggers in the same transaction as the event
 * (mentions, new followers; later tips and "your request plays next"). Users read and mark
 * only their own rows. "A DJ you follow went live" is fanned out by the job system (push
 * issue), never inside the go-live transaction.
 */

create type public.notification_kind as enum (
  'mention', 'new_follower', 'dj_live', 'request_playing', 'tip_received', 'subscription'
);
comment on type public.notification_kind is 'What a notification is about.';

create table public.notifications (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  kind public.notification_kind not null,
  actor_id uuid references public.profiles (id) on delete set null,
  session_id uuid,
  message_id uuid,
  payload jsonb not null default '{}' check (jsonb_typeof(payload) = 'object'),
  dedupe_key text not null,
  created_at timestamptz not null default now(),
  read_at timestamptz,
  unique (user_id, dedupe_key)
);
comment on table public.notifications is 'In-app notification feed: one row per user and event; users see only their own.';
comment on column public.notifications.id is 'Notification id.';
comment on column public.notifications.user_id is 'Who is notified.';
comment on column public.notifications.kind is 'What happened.';
comment on column public.notifications.actor_id is 'Who caused it (NULL if that account is gone).';
comment on column public.notifications.session_id is 'The DJ session concerned, if any.';
comment on column public.notifications.message_id is 'The chat message concerned, if any.';
comment on column public.notifications.payload is 'Kind-specific data the app renders (e.g. a message excerpt).';
comment on column public.notifications.dedupe_key is
  'Identifies the event: a second notification for the same user and event is never created.';
comment on column public.notifications.created_at is 'When the event happened.';
comment on column public.notifications.read_at is 'When the user marked it read; NULL while unread.';
create index notifications_user_feed_idx on public.notifications (user_id, created_at desc, id desc);
create index notifications_user_unread_idx on public.notifications (user_id) where read_at is null;
create index notifications_actor_id_idx on public.notifications (actor_id);
alter table public.notifications enable row level security;
create policy "Users can read their own notifications" on public.notifications
  for select to authenticated using (user_id = (select auth.uid()));
create policy "Users can mark their own notifications read" on public.notifications
  for update to authenticated
  using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));
grant select on public.notifications to authenticated;
grant update (read_at) on public.notifications to authenticated;
-- NOTE: no insert/delete grants: notifications are written by triggers and jobs only.

create function private.notify(
  p_user_id uuid, p_kind public.notification_kind, p_dedupe_key text, p_actor_id uuid,
  p_session_id uuid default null, p_message_id uuid default null, p_payload jsonb default '{}'
) returns void
language sql
set search_path = ''
as $$
  insert into public.notifications (user_id, kind, dedupe_key, actor_id, session_id, message_id, payload)
  values (p_user_id, p_kind, p_dedupe_key, p_actor_id, p_session_id, p_message_id, p_payload)
  on conflict (user_id, dedupe_key) do nothing
$$;
comment on function private.notify(uuid, public.notification_kind, text, uuid, uuid, uuid, jsonb) is
  'Add a notification unless this user already has one for the same event (dedupe key).';

-- RPCs -----------------------------------------------------------------------------------------

create function public.mark_notifications_read(p_ids uuid[] default null) returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_count integer;
begin
  update public.notifications as n set read_at = now()
  where n.user_id = v_uid and n.read_at is null and (p_ids is null or n.id = any (p_ids));
  get diagnostics v_count = row_count;
  return v_count;
end
$$;
comment on function public.mark_notifications_read(uuid[]) is
  E'Mark the caller''s notifications read: the given ids, or all when p_ids is omitted. Returns how many changed.\n'
  'Errors: LOGIN.\n'
  'Example: await supabase.rpc(''mark_notifications_read'', { p_ids: [id1, id2] })';
grant execute on function public.mark_notifications_read(uuid[]) to authenticated;

create function public.unread_notification_count() returns integer
language sql stable
set search_path = ''
as $$
  select count(*)::integer from public.notifications as n
  where n.user_id = (select auth.uid()) and n.read_at is null
$$;
comment on function public.unread_notification_count() is
  E'How many of the caller''s notifications are unread (the badge number).\n'
  'Example: const { data: unread } = await supabase.rpc(''unread_notification_count'')';
grant execute on function public.unread_notification_count() to authenticated;
