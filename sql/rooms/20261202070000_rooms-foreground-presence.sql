/*
 * rooms-foreground-presence: who is looking at the room, not only who is in it.
 *
 * Realtime bills a broadcast to every subscribed client, and the app subscribes (or, in a crowd,
 * polls) only while it is in the foreground (docs/realtime-events.md): so what a room's events
 * cost, and how many clients poll it, is its *foreground* members, not its listener count. The app
 * says which it is on every heartbeat and on every switch (`heartbeat(id, p_foreground)`), and
 * the presence refresh counts both. A member is counted in the foreground from joining until the
 * app says otherwise.
 *
 * The heartbeat is the call a packed room makes most (a 10,000-listener room: 333 a second), so
 * it is one UPDATE ... RETURNING by primary key, committed asynchronously (presence is
 * ephemeral: a lost beat is redone by the next).
 *
 * Read permission on a live room is now membership (the crowd's poll checks only that, by
 * primary key): so everything that takes the right to read a room away ends the membership. A
 * ban already did; a block by the DJ now does too.
 */

-- tables ---------------------------------------------------------------------------------------

alter table public.session_members add column foreground boolean not null default true;
comment on column public.session_members.foreground is
  'Whether the member''s app is in the foreground (subscribed or polling), as its last heartbeat said.';
-- NOTE: no grant: written only by join_session and heartbeat (definers).

alter table public.dj_sessions add column foreground_count integer not null default 0
  check (foreground_count >= 0);
comment on column public.dj_sessions.foreground_count is
  'Present members (the DJ''s team included) whose app is in the foreground: who receives the room''s '
  'broadcasts or polls it (refreshed with listener_count).';

create index session_members_present_team_idx on public.session_members (session_id)
  where left_at is null and role <> 'listener';
comment on index public.session_members_present_team_idx is
  'The DJ''s team present in a room (the staff lane''s recipients), without scanning the crowd.';

-- triggers -------------------------------------------------------------------------------------

create function private.tg_blocks__leave_rooms() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  -- A DJ who blocks someone takes them out of the DJ's live and scheduled rooms, as a ban does:
  -- reading a room is membership, so the block must end it.
  update public.session_members as m set left_at = now()
  from public.dj_sessions as s
  where s.id = m.session_id and s.dj_id = NEW.blocker_id and s.status <> 'ended'
    and m.user_id = NEW.blocked_id and m.left_at is null;
  return null;
end
$$;
comment on function private.tg_blocks__leave_rooms() is
  'After a block: the blocked user leaves the blocker''s open rooms (reading a room is membership).';
create trigger _500_leave_rooms after insert on public.blocks
  for each row execute function private.tg_blocks__leave_rooms();

-- helpers --------------------------------------------------------------------------------------

create function hidden.join_session(p_session_id uuid, p_invite_code text, p_foreground boolean)
returns public.membership
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_member public.membership := hidden.join_session(p_session_id, p_invite_code);
begin
  if p_foreground is not null then
    update public.session_members as m set foreground = p_foreground
    where m.session_id = p_session_id and m.user_id = v_member.user_id and m.foreground <> p_foreground;
  end if;
  return v_member;
end
$$;
comment on function hidden.join_session(uuid, text, boolean) is
  'join_session, recording whether the app is in the foreground (NULL: unchanged).';
grant execute on function hidden.join_session(uuid, text, boolean) to authenticated;

create function hidden.heartbeat(p_session_id uuid, p_foreground boolean) returns public.membership
language plpgsql volatile security definer
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
  v_uid uuid := hidden.require_user();
  v_row record;
begin
  perform set_config('synchronous_commit', 'off', true);  -- presence is ephemeral
  update public.session_members as m
  set last_seen_at = now(), foreground = coalesce(p_foreground, m.foreground)
  from public.dj_sessions as s
  where m.session_id = p_session_id and m.user_id = v_uid and m.left_at is null and s.id = m.session_id
  returning m.session_id, m.role, m.joined_at, s.status, s.listener_count, s.dj_id into v_row;
  if v_row.session_id is null then
    -- Dropped as stale (a flaky network) or never joined: rejoin, with every join check.
    return hidden.join_session(p_session_id, null, p_foreground);
  end if;
  return (v_row.session_id, v_uid, v_row.role, v_row.joined_at, v_row.status, v_row.listener_count,
    hidden.timeout_until(v_row.dj_id, v_uid))::public.membership;
end
$$;
comment on function hidden.heartbeat(uuid, boolean) is
  'Implementation of public.heartbeat: refresh the caller''s presence (and foreground state) in one update, or rejoin.';
grant execute on function hidden.heartbeat(uuid, boolean) to authenticated;

-- RPCs -----------------------------------------------------------------------------------------

-- The app joins from the room's screen: in the foreground.
create or replace function public.join_session(p_session_id uuid, p_invite_code text default null)
returns public.membership
language sql volatile
set search_path = ''
as $$ select hidden.join_session(p_session_id, p_invite_code, true) $$;

drop function public.heartbeat(uuid);
create function public.heartbeat(p_session_id uuid, p_foreground boolean default null) returns public.membership
language sql volatile
set search_path = ''
as $$ select hidden.heartbeat(p_session_id, p_foreground) $$;
comment on function public.heartbeat(uuid, boolean) is
  E'Say "still here" every 30 s, and whenever the app moves to the foreground or the background '
  '(p_foreground true/false; omitted: unchanged). Rejoins transparently if you were dropped. Returns your '
  'membership and the current listener count.\n'
  'Errors: as join_session when a rejoin is needed.\n'
  'Example: AppState.addEventListener(''change'', (s) => supabase.rpc(''heartbeat'', { p_session_id: id, '
  'p_foreground: s === ''active'' }))';
grant execute on function public.heartbeat(uuid, boolean) to authenticated;

create or replace function private.refresh_presence() returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_timeout interval := make_interval(secs => (hidden.setting('presence_timeout_seconds'))::integer);
  v_dropped integer;
begin
  update public.session_members as m set left_at = m.last_seen_at + v_timeout
  where m.left_at is null and m.last_seen_at < now() - v_timeout;
  get diagnostics v_dropped = row_count;
  update public.dj_sessions as s
  set listener_count = c.present, peak_listener_count = greatest(s.peak_listener_count, c.present),
    foreground_count = c.foreground
  from (
    select live.id, count(m.user_id) filter (where m.role <> 'dj')::integer as present,
      count(m.user_id) filter (where m.foreground)::integer as foreground
    from public.dj_sessions as live
    left join public.session_members as m on m.session_id = live.id and m.left_at is null
    where live.status = 'live'
    group by live.id
  ) as c
  where s.id = c.id
    and (s.listener_count <> c.present or s.peak_listener_count < c.present or s.foreground_count <> c.foreground);
  return v_dropped;
end
$$;
comment on function private.refresh_presence() is
  'Scheduled every few seconds: drop members silent for longer than the timeout, then set each live '
  'session''s listener_count (and peak) and foreground_count from who is present. Returns how many were dropped. '
  'Safe to run concurrently.';
