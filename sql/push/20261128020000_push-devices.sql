/*
 * push-devices: where a user's push notifications go, and which they want.
 *
 * A device is its Expo push token: one row per token, owned by whoever registered it last (a
 * phone that changes hands, or a user signing into another account, moves the token rather than
 * notifying both). Expo's DeviceNotRegistered deactivates a token until it is registered again.
 * Preferences: kinds the user turned off, and quiet hours in their own time zone.
 */

create table public.push_devices (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references public.profiles (id) on delete cascade,
  token text not null unique check (token ~ '^Expo(nent)?PushToken\[[A-Za-z0-9_-]{10,200}\]$'),
  platform text not null check (platform in ('ios', 'android')),
  active boolean not null default true,
  deactivated_reason text,
  registered_at timestamptz not null default now(),
  created_at timestamptz not null default now()
);
comment on table public.push_devices is 'A device that receives push notifications (its Expo push token); users see their own.';
comment on column public.push_devices.id is 'Device id.';
comment on column public.push_devices.user_id is 'Who it notifies (the last account that registered it).';
comment on column public.push_devices.token is 'Expo push token, ExponentPushToken[...].';
comment on column public.push_devices.platform is 'ios or android.';
comment on column public.push_devices.active is 'False once Expo reported it unregistered (or the user signed out on it).';
comment on column public.push_devices.deactivated_reason is 'Why it is inactive: DeviceNotRegistered, signed_out.';
comment on column public.push_devices.registered_at is 'When it was last registered (the app does it at every start).';
comment on column public.push_devices.created_at is 'When the token was first seen.';
create index push_devices_user_idx on public.push_devices (user_id) where active;
alter table public.push_devices enable row level security;
create policy "Users see their own devices" on public.push_devices
  for select to authenticated using (user_id = (select auth.uid()));
grant select on public.push_devices to authenticated;
-- NOTE: written through register_push_device / unregister_push_device only.

create table public.push_preferences (
  user_id uuid primary key references public.profiles (id) on delete cascade,
  disabled_kinds public.notification_kind[] not null default '{}',
  time_zone text not null default 'UTC',
  quiet_start time,
  quiet_end time,
  updated_at timestamptz not null default now(),
  check ((quiet_start is null) = (quiet_end is null))
);
comment on table public.push_preferences is 'What a user wants pushed (the in-app feed always has everything).';
comment on column public.push_preferences.user_id is 'The user.';
comment on column public.push_preferences.disabled_kinds is 'Notification kinds never pushed to them.';
comment on column public.push_preferences.time_zone is 'IANA time zone their quiet hours are in (e.g. Europe/Madrid).';
comment on column public.push_preferences.quiet_start is 'Quiet hours start (local time); NULL: none.';
comment on column public.push_preferences.quiet_end is 'Quiet hours end (local time); may be before the start (overnight).';
comment on column public.push_preferences.updated_at is 'Last change.';
alter table public.push_preferences enable row level security;
create policy "Users see their own push preferences" on public.push_preferences
  for select to authenticated using (user_id = (select auth.uid()));
grant select on public.push_preferences to authenticated;

create function hidden.register_push_device(p_token text, p_platform text) returns public.push_devices
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_device public.push_devices;
begin
  if p_token is null or p_token !~ '^Expo(nent)?PushToken\[[A-Za-z0-9_-]{10,200}\]$' then
    raise exception 'That is not an Expo push token.' using errcode = '22023',
      hint = 'Send what getExpoPushTokenAsync() returns: ExponentPushToken[...].';
  elsif p_platform is null or p_platform not in ('ios', 'android') then
    raise exception 'Platform must be ios or android.' using errcode = '22023', hint = 'Send Platform.OS.';
  end if;
  insert into public.push_devices as d (user_id, token, platform)
  values (v_uid, p_token, p_platform)
  on conflict (token) do update
  set user_id = excluded.user_id, platform = excluded.platform, active = true, deactivated_reason = null,
    registered_at = now()
  returning * into v_device;
  -- At most 10 active devices per user: the longest unregistered ones stop receiving.
  update public.push_devices as d set active = false, deactivated_reason = 'replaced'
  where d.user_id = v_uid and d.active and d.id in (
    select o.id from public.push_devices as o where o.user_id = v_uid and o.active
    order by o.registered_at desc offset 10
  );
  return v_device;
end
$$;
comment on function hidden.register_push_device(text, text) is 'Implementation of public.register_push_device.';
grant execute on function hidden.register_push_device(text, text) to authenticated;

create function public.register_push_device(p_token text, p_platform text) returns public.push_devices
language sql volatile
set search_path = ''
as $$ select hidden.register_push_device(p_token, p_platform) $$;
comment on function public.register_push_device(text, text) is
  E'Register this device for push notifications (call at every app start and after sign-in). A token already '
  'registered by another account moves to the caller; a deactivated one becomes active again. Returns the device.\n'
  'Errors: LOGIN; 22023 not an Expo token or bad platform.\n'
  'Example: await supabase.rpc(''register_push_device'', { p_token: (await Notifications.getExpoPushTokenAsync()).data, p_platform: Platform.OS })';
grant execute on function public.register_push_device(text, text) to authenticated;

create function public.unregister_push_device(p_token text) returns boolean
language sql volatile
set search_path = ''
as $$
  with changed as (
    update public.push_devices as d set active = false, deactivated_reason = 'signed_out'
    where d.token = p_token and d.user_id = (select auth.uid()) and d.active
    returning 1
  )
  select exists (select 1 from changed)
$$;
comment on function public.unregister_push_device(text) is
  E'Stop pushing to this device (call before signing out). Returns whether it was active.\n'
  'Example: await supabase.rpc(''unregister_push_device'', { p_token: token })';
grant execute on function public.unregister_push_device(text) to authenticated;
grant update (active, deactivated_reason) on public.push_devices to authenticated;
create policy "Users deactivate their own devices" on public.push_devices
  for update to authenticated using (user_id = (select auth.uid())) with check (user_id = (select auth.uid()));

create function hidden.set_push_preferences(
  p_disabled_kinds public.notification_kind[], p_time_zone text, p_quiet_start time, p_quiet_end time
) returns public.push_preferences
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_row public.push_preferences;
begin
  if not exists (select 1 from pg_catalog.pg_timezone_names as z where z.name = p_time_zone) then
    raise exception 'Unknown time zone %.', p_time_zone using errcode = '22023',
      hint = 'Send an IANA name such as Europe/Madrid (Intl.DateTimeFormat().resolvedOptions().timeZone).';
  elsif (p_quiet_start is null) <> (p_quiet_end is null) then
    raise exception 'Quiet hours need a start and an end.' using errcode = '22023', hint = 'Send both, or neither.';
  end if;
  insert into public.push_preferences as p (user_id, disabled_kinds, time_zone, quiet_start, quiet_end)
  values (v_uid, coalesce(p_disabled_kinds, '{}'), p_time_zone, p_quiet_start, p_quiet_end)
  on conflict (user_id) do update
  set disabled_kinds = excluded.disabled_kinds, time_zone = excluded.time_zone, quiet_start = excluded.quiet_start,
    quiet_end = excluded.quiet_end, updated_at = now()
  returning * into v_row;
  return v_row;
end
$$;
comment on function hidden.set_push_preferences(public.notification_kind[], text, time, time) is
  'Implementation of public.set_push_preferences.';
grant execute on function hidden.set_push_preferences(public.notification_kind[], text, time, time) to authenticated;

create function public.set_push_preferences(
  p_disabled_kinds public.notification_kind[] default '{}', p_time_zone text default 'UTC',
  p_quiet_start time default null, p_quiet_end time default null
) returns public.push_preferences
language sql volatile
set search_path = ''
as $$ select hidden.set_push_preferences(p_disabled_kinds, p_time_zone, p_quiet_start, p_quiet_end) $$;
comment on function public.set_push_preferences(public.notification_kind[], text, time, time) is
  E'Set which notification kinds are pushed and the quiet hours (local time in p_time_zone; an end before the start '
  'spans midnight). During quiet hours time-sensitive pushes (a DJ went live, your request plays next) are dropped '
  'and the rest wait until the quiet hours end; the in-app feed always has everything.\n'
  'Errors: LOGIN; 22023 unknown time zone or half-set quiet hours.\n'
  'Example: await supabase.rpc(''set_push_preferences'', { p_disabled_kinds: [''new_follower''], p_time_zone: ''Europe/Madrid'', p_quiet_start: ''23:00'', p_quiet_end: ''08:00'' })';
grant execute on function public.set_push_preferences(public.notification_kind[], text, time, time) to authenticated;
