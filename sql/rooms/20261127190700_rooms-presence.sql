/*
 * rooms-presence: joining, leaving, heartbeats, co-hosts and honest listener counts.
 *
 * Joining checks what only the database can know together: the session is not over, the user
 * is not banned or blocked by the DJ, follows the DJ (followers-only) or holds the invite code
 * (private). The invite code is private, so joining runs in a definer helper; the public RPCs
 * are thin. Present = left_at is NULL and a heartbeat within the timeout. The counts on the
 * session are refreshed by refresh_presence() on a schedule (every few seconds), never per
 * join: a packed room must not funnel every join through one hot session row.
 */

insert into private.settings (key, value, description) values
  ('presence_timeout_seconds', '90', 'A member with no heartbeat for this long is dropped (clients beat every 30 s).');

-- helpers --------------------------------------------------------------------------------------

create type public.membership as (
  session_id uuid,
  user_id uuid,
  role public.member_role,
  joined_at timestamptz,
  session_status public.session_status,
  listener_count integer,
  timeout_until timestamptz
);
comment on type public.membership is 'What join_session and heartbeat return: your place in the room and its state.';

create function hidden.join_session(p_session_id uuid, p_invite_code text) returns public.membership
language plpgsql volatile security definer
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
  v_uid uuid := hidden.require_user();
  v_ctx record;
  v_member public.session_members;
begin
  -- Presence is ephemeral (a lost join is redone by the next heartbeat): commit asynchronously.
  perform set_config('synchronous_commit', 'off', true);
  -- Everything the join rules need in one round trip (reconnect storms hit this hard).
  select s as session,
    exists (
      select 1 from public.dj_bans as b
      where b.dj_id = s.dj_id and b.user_id = v_uid and b.kind = 'ban' and b.revoked_at is null
    ) as banned,
    (
      select max(b.expires_at) from public.dj_bans as b
      where b.dj_id = s.dj_id and b.user_id = v_uid and b.kind = 'timeout' and b.revoked_at is null
        and b.expires_at > now()
    ) as timeout_until,
    exists (select 1 from public.blocks as k where k.blocker_id = s.dj_id and k.blocked_id = v_uid) as blocked,
    exists (select 1 from public.follows as f where f.follower_id = v_uid and f.followee_id = s.dj_id) as follows,
    exists (select 1 from public.dj_moderators as d where d.dj_id = s.dj_id and d.user_id = v_uid)
      or exists (select 1 from private.staff as t where t.user_id = v_uid) as team,
    exists (
      select 1 from private.session_invites as i where i.session_id = s.id and i.code = upper(btrim(p_invite_code))
    ) as invited,
    (select m from public.session_members as m where m.session_id = s.id and m.user_id = v_uid) as member
  into v_ctx
  from public.dj_sessions as s
  where s.id = p_session_id;
  if v_ctx is null then
    raise exception 'No such session.' using errcode = 'P0002', hint = 'Check the session id.';
  elsif (v_ctx.session).status = 'ended' then
    raise exception 'This session has ended.' using errcode = 'ENDED', hint = 'Find a live one in the directory.';
  end if;
  v_member := v_ctx.member;
  if v_uid <> (v_ctx.session).dj_id then
    if v_ctx.banned then
      raise exception 'You are banned from this DJ''s sessions.' using errcode = 'BANND', hint = 'Contact the DJ to appeal.';
    elsif v_ctx.blocked then
      raise exception 'You cannot join this session.' using errcode = 'BLOCK', hint = 'The DJ has restricted who can join.';
    end if;
    if v_member.session_id is null and not v_ctx.team then  -- members rejoin without a re-check
      if (v_ctx.session).visibility = 'followers' and not v_ctx.follows then
        raise exception 'This session is for the DJ''s followers.' using errcode = 'NOFLW', hint = 'Follow the DJ to join.';
      elsif (v_ctx.session).visibility = 'private' and not v_ctx.invited then
        raise exception 'This session is private.' using errcode = 'INVIT', hint = 'Ask the DJ for the invite code.';
      end if;
    end if;
  end if;
  -- Already present and seen recently (a reconnect): nothing to write.
  if v_member.left_at is not null or v_member.session_id is null or v_member.last_seen_at < now() - interval '15 seconds' then
    insert into public.session_members as m (session_id, user_id, role)
    values (p_session_id, v_uid, case
      when v_uid = (v_ctx.session).dj_id then 'dj'
      when exists (select 1 from public.dj_moderators as d where d.dj_id = (v_ctx.session).dj_id and d.user_id = v_uid)
        then 'moderator'
      else 'listener' end::public.member_role)
    on conflict (session_id, user_id) do update
      set left_at = null, last_seen_at = now(),
        joined_at = case when m.left_at is null then m.joined_at else now() end,
        role = case when m.role = 'cohost' and m.left_at is null then m.role else excluded.role end
    returning * into v_member;
  end if;
  return (v_member.session_id, v_uid, v_member.role, v_member.joined_at, (v_ctx.session).status,
    (v_ctx.session).listener_count, v_ctx.timeout_until)::public.membership;
end
$$;
comment on function hidden.join_session(uuid, text) is 'Implementation of public.join_session (reads the private invite code).';
grant execute on function hidden.join_session(uuid, text) to authenticated;

-- RPCs -----------------------------------------------------------------------------------------

create function public.join_session(p_session_id uuid, p_invite_code text default null)
returns public.membership
language sql volatile
set search_path = ''
as $$ select hidden.join_session(p_session_id, p_invite_code) $$;
comment on function public.join_session(uuid, text) is
  E'Join (or rejoin) a scheduled or live session; idempotent. Anonymous sign-ins may join to listen. '
  'Private sessions need p_invite_code the first time. Then send heartbeat every 30 s. Returns your membership.\n'
  'Errors: LOGIN; P0002 no such session; ENDED; BANND banned; BLOCK the DJ blocked you; NOFLW followers only; '
  'INVIT wrong or missing invite code.\n'
  'Example: const { data: me } = await supabase.rpc(''join_session'', { p_session_id: id, p_invite_code: code })';
grant execute on function public.join_session(uuid, text) to authenticated;

create function hidden.touch_membership(p_session_id uuid, p_user_id uuid) returns void
language sql volatile security definer
set search_path = ''
as $$
  update public.session_members as m set last_seen_at = now()
  where m.session_id = p_session_id and m.user_id = p_user_id and m.user_id = auth.uid() and m.left_at is null
$$;
comment on function hidden.touch_membership(uuid, uuid) is 'Record the caller''s heartbeat in a session.';
grant execute on function hidden.touch_membership(uuid, uuid) to authenticated;

create function public.heartbeat(p_session_id uuid) returns public.membership
language plpgsql volatile
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_result public.membership;
begin
  select m.session_id, m.user_id, m.role, m.joined_at, s.status, s.listener_count,
    hidden.timeout_until(s.dj_id, v_uid)
  into v_result
  from public.session_members as m join public.dj_sessions as s on s.id = m.session_id
  where m.session_id = p_session_id and m.user_id = v_uid and m.left_at is null;
  if v_result is null then
    -- Dropped as stale (a flaky network) or never joined: rejoin, with every join check.
    return hidden.join_session(p_session_id, null);
  end if;
  perform set_config('synchronous_commit', 'off', true);  -- presence is ephemeral
  perform hidden.touch_membership(p_session_id, v_uid);
  return v_result;
end
$$;
comment on function public.heartbeat(uuid) is
  E'Say "still here" (every 30 s); rejoins transparently if you were dropped. Returns your membership and the '
  'current listener count.\n'
  'Errors: as join_session when a rejoin is needed.\n'
  'Example: setInterval(() => supabase.rpc(''heartbeat'', { p_session_id: id }), 30_000)';
grant execute on function public.heartbeat(uuid) to authenticated;

create function hidden.leave_session(p_session_id uuid, p_user_id uuid) returns boolean
language plpgsql volatile security definer
set search_path = ''
as $$
begin
  update public.session_members as m set left_at = now(),
    role = case when m.role = 'cohost' then 'listener' else m.role end
  where m.session_id = p_session_id and m.user_id = p_user_id and m.left_at is null
    and (p_user_id = auth.uid() or hidden.can_moderate_session(p_session_id));
  return found;
end
$$;
comment on function hidden.leave_session(uuid, uuid) is 'Implementation of leave_session / remove_from_session.';
grant execute on function hidden.leave_session(uuid, uuid) to authenticated;

create function public.leave_session(p_session_id uuid) returns boolean
language sql volatile
set search_path = ''
as $$ select hidden.leave_session(p_session_id, hidden.require_user()) $$;
comment on function public.leave_session(uuid) is
  E'Leave a session (idempotent). Returns whether you were in it.\n'
  'Errors: LOGIN.\n'
  'Example: await supabase.rpc(''leave_session'', { p_session_id: id })';
grant execute on function public.leave_session(uuid) to authenticated;

create function public.set_cohost(p_session_id uuid, p_user_id uuid, p_cohost boolean default true)
returns public.session_members
language plpgsql volatile
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_row public.session_members;
begin
  if not exists (select 1 from public.dj_sessions as s where s.id = p_session_id and s.dj_id = v_uid) then
    raise exception 'Only the DJ picks co-hosts.' using errcode = '42501', hint = 'Ask the DJ.';
  end if;
  select * into v_row from hidden.set_member_role(p_session_id, p_user_id,
    case when p_cohost then 'cohost' else 'listener' end::public.member_role);
  if v_row.session_id is null then
    raise exception 'That user is not in the session.' using errcode = 'NOTIN', hint = 'They need to join first.';
  end if;
  return v_row;
end
$$;
comment on function public.set_cohost(uuid, uuid, boolean) is
  E'Make a present member a co-host of your session (they can moderate and run the queue), or undo it.\n'
  'Errors: LOGIN; 42501 not your session; NOTIN not present.\n'
  'Example: await supabase.rpc(''set_cohost'', { p_session_id: id, p_user_id: uid })';
grant execute on function public.set_cohost(uuid, uuid, boolean) to authenticated;

create function hidden.set_member_role(p_session_id uuid, p_user_id uuid, p_role public.member_role)
returns public.session_members
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_row public.session_members;
  v_dj uuid;
begin
  select s.dj_id into v_dj from public.dj_sessions as s where s.id = p_session_id and s.dj_id = auth.uid();
  if v_dj is null then
    return null;
  end if;
  update public.session_members as m set role = p_role
  where m.session_id = p_session_id and m.user_id = p_user_id and m.left_at is null and m.role <> 'dj'
  returning * into v_row;
  if v_row.session_id is not null then
    perform private.log_moderation(v_dj, p_session_id, 'set_cohost', p_user_id, null, '', null,
      jsonb_build_object('role', p_role));
  end if;
  return v_row;
end
$$;
comment on function hidden.set_member_role(uuid, uuid, public.member_role) is
  'Implementation of set_cohost: the DJ changes a present member''s role (logged).';
grant execute on function hidden.set_member_role(uuid, uuid, public.member_role) to authenticated;

-- the presence job ------------------------------------------------------------------------------

create function private.refresh_presence() returns integer
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
  set listener_count = c.present, peak_listener_count = greatest(s.peak_listener_count, c.present)
  from (
    select live.id, count(m.user_id) filter (where m.role <> 'dj')::integer as present
    from public.dj_sessions as live
    left join public.session_members as m on m.session_id = live.id and m.left_at is null
    where live.status = 'live'
    group by live.id
  ) as c
  where s.id = c.id and (s.listener_count <> c.present or s.peak_listener_count < c.present);
  return v_dropped;
end
$$;
comment on function private.refresh_presence() is
  'Scheduled every few seconds: drop members silent for longer than the timeout, then set each live '
  'session''s listener_count (and peak) from who is present. Returns how many were dropped. Safe to run concurrently.';
