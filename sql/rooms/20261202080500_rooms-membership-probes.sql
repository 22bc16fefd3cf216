/*
 * rooms-membership-probes: "is this user in this room" is one index probe, and a heartbeat one
 * statement.
 *
 * Every chat line, vote, request and poll asks whether the caller is present in the room. On the
 * (session_id) partial index of present members the planner answered it by scanning the room's
 * present members: 10,000 rows in a crowd, for one (measured in `make bench --suite reads`). With
 * the user in the key it is one probe; counts by room use the same index.
 *
 * The heartbeat (a 10,000-listener room's most frequent call: 333 a second) read the caller's
 * timeout with a second query (hidden.timeout_until); it is now part of its one UPDATE ...
 * RETURNING. Same result and errors.
 */

drop index public.session_members_present_idx;
create index session_members_present_idx on public.session_members (session_id, user_id) where left_at is null;
comment on index public.session_members_present_idx is 'Present members of a room, by user: membership checks and counts.';

create or replace function hidden.heartbeat(p_session_id uuid, p_foreground boolean) returns public.membership
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
  returning m.session_id, m.role, m.joined_at, s.status, s.listener_count, (
    select max(b.expires_at) from public.dj_bans as b  -- hidden.timeout_until, in the same statement
    where b.dj_id = s.dj_id and b.user_id = v_uid and b.kind = 'timeout' and b.revoked_at is null
      and b.expires_at > now()
  ) as timeout_until into v_row;
  if v_row.session_id is null then
    -- Dropped as stale (a flaky network) or never joined: rejoin, with every join check.
    return hidden.join_session(p_session_id, null, p_foreground);
  end if;
  return (v_row.session_id, v_uid, v_row.role, v_row.joined_at, v_row.status, v_row.listener_count,
    v_row.timeout_until)::public.membership;
end
$$;
comment on function hidden.heartbeat(uuid, boolean) is
  'Implementation of public.heartbeat: refresh the caller''s presence (and foreground state) in one update, or rejoin.';
grant execute on function hidden.heartbeat(uuid, boolean) to authenticated;
