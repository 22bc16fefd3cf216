/*
 * ops-cli-read-functions: the admin CLI's last inline queries as named database functions (issue 20).
 *
 * ops-cli-functions moved most `whatssound` commands' SQL here; five statements were left inline
 * (`users show`, `stats`, the demo users in `dev`'s banner, `push devices|deliveries|test`). They
 * move now, unchanged, so every command only calls and prints:
 *   - private.user_overview and private.platform_now stay the queries; the functions return
 *     setof those views, so the CLI prints exactly the columns (and types) it printed before;
 *   - `push test` now reads its targets' ids with their tokens and deactivates the ones Expo calls
 *     DeviceNotRegistered by id (tokens are unique, so the same devices as before).
 *
 * All of them are readers that run as the caller (the operator connects as postgres), pin
 * search_path = '' and qualify every name.
 * NOTE: no grants anywhere in this file: these are operator tooling only, never callable by anon,
 * authenticated or service_role (the foundation's default privileges revoke execute from public).
 */

-- helper functions

/* Users and the platform: `whatssound users show`, `whatssound stats`, `whatssound dev`. */

create function private.user_overview_of(p_user_id uuid)
returns setof private.user_overview
language sql stable strict
set search_path = ''
as $$
  select o.* from private.user_overview as o where o.id = p_user_id
$$;
comment on function private.user_overview_of(uuid) is
  'One user''s row of private.user_overview (account, sign-in, devices, entitlements, bans, activity); no row '
  'for an unknown user (whatssound users show).';

create function private.platform_stats()
returns setof private.platform_now
language sql stable
set search_path = ''
as $$
  select n.* from private.platform_now as n
$$;
comment on function private.platform_stats() is
  'The one row of private.platform_now: live sessions and listeners, chat, tips today, pushes, jobs and webhooks '
  'waiting (whatssound stats).';

create function private.demo_users()
returns table (display_name text, phone text)
language sql stable
set search_path = ''
as $$
  select coalesce(u.raw_user_meta_data ->> 'display_name', ''), u.phone::text
  from auth.users as u
  where u.raw_app_meta_data ->> 'demo' = 'true'
  order by u.phone
$$;
comment on function private.demo_users() is
  'The seeded demo users (app metadata demo = true; none outside local stacks): display name and phone, by '
  'phone (the banner of whatssound dev).';

/* Push: `whatssound push devices|deliveries|test`. */

create function private.user_push_devices(p_user_id uuid)
returns table (
  token text,
  platform text,
  active boolean,
  deactivated_reason text,
  registered_at timestamptz
)
language sql stable strict
set search_path = ''
as $$
  select d.token, d.platform, d.active, d.deactivated_reason, d.registered_at
  from public.push_devices as d
  where d.user_id = p_user_id
  order by d.registered_at desc
$$;
comment on function private.user_push_devices(uuid) is
  'A user''s push devices, active or not (and why not), newest first (whatssound push devices).';

create function private.user_push_deliveries(p_user_id uuid, p_limit integer)
returns table (
  created_at timestamptz,
  kind text,
  title text,
  device text,
  status text,
  attempts integer,
  error text,
  receipt text
)
language sql stable strict
set search_path = ''
as $$
  select
    m.created_at, m.kind::text, m.title, right(d.token, 12), m.status::text, m.attempts, m.error,
    m.receipt_status
  from private.push_messages as m
  inner join public.push_devices as d on m.device_id = d.id
  where d.user_id = p_user_id
  order by m.id desc
  limit p_limit
$$;
comment on function private.user_push_deliveries(uuid, integer) is
  'A user''s p_limit latest pushes, newest first: kind, title, the device (its token''s last 12 characters), '
  'status, attempts, Expo''s error and receipt (whatssound push deliveries).';

create function private.user_active_push_devices(p_user_id uuid)
returns table (id uuid, token text)
language sql stable strict
set search_path = ''
as $$
  select d.id, d.token
  from public.push_devices as d
  where d.user_id = p_user_id and d.active
  order by d.registered_at desc
$$;
comment on function private.user_active_push_devices(uuid) is
  'A user''s active push devices (id and Expo token), newest first: where a test push goes; pass the ids Expo '
  'answers DeviceNotRegistered for to private.push_deactivate (whatssound push test).';
