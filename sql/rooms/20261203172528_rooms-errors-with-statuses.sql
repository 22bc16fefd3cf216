/*
 * rooms-errors-with-statuses: this domain's errors reach the app with the HTTP status they mean
 * (issue 19 §1).
 *
 * Every raise of a code whose status is not 400 (docs/error-codes.md, HTTP column) becomes a
 * PGRST raise built by hidden.api_error / hidden.api_response
 * (20261203172346_foundation-api-statuses.sql says why: PostgREST answers P0002 with 500 and
 * our own codes with 400). Nothing else changes: each function is restated from its newest
 * definition (named above it), with the same code, message, hint and details.
 * Restated: hidden.announce, hidden.invite_code, hidden.join_session,
 * hidden.require_session_change, private.tg_dj_sessions__guard, public.go_live, public.set_cohost.
 */

-- From 20261127190300_rooms-sessions.sql.
create or replace function private.tg_dj_sessions__guard() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_uid uuid := auth.uid();
  v_dj_only boolean;
begin
  if TG_OP = 'INSERT' then
    if v_uid is not null then
      perform hidden.require_full_account('host');
      if not (select p.is_dj from public.profiles as p where p.id = NEW.dj_id) then
        raise sqlstate 'PGRST' using
          message = hidden.api_error(
            'DJONL',
            'Only DJs can create sessions.',
            'Turn on DJ mode in your profile (profiles.is_dj) first.'
          ),
          detail = hidden.api_response('DJONL');
      end if;
    end if;
    if NEW.status = 'ended' then
      raise sqlstate 'PGRST' using
        message = hidden.api_error('STATE', 'A new session cannot start ended.', 'Use scheduled or live.'),
        detail = hidden.api_response('STATE');
    end if;
    NEW.title := btrim(NEW.title);
    NEW.started_at := case when NEW.status = 'live' then now() end;
    NEW.ended_at := null;
    if NEW.status = 'scheduled' and (NEW.scheduled_for is null or NEW.scheduled_for < now() - interval '5 minutes') then
      raise exception 'A scheduled session needs a start time in the future.'
        using errcode = '22023', hint = 'Pass p_scheduled_for, or start it now.';
    end if;
    return NEW;
  end if;

  -- Moderators may change chat settings and requests; everything else is the DJ's (or staff's).
  v_dj_only := (NEW.title, NEW.description, NEW.genre_tags, NEW.cover_url, NEW.visibility, NEW.status,
                NEW.scheduled_for)
    is distinct from (OLD.title, OLD.description, OLD.genre_tags, OLD.cover_url, OLD.visibility,
                      OLD.status, OLD.scheduled_for);
  if v_dj_only and v_uid is not null and v_uid <> OLD.dj_id and not hidden.is_staff() then
    raise exception 'Only the DJ can change that.' using errcode = '42501', hint = 'Moderators may change chat settings only.';
  end if;
  if OLD.status = 'ended' and v_uid is not null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('ENDED', 'This session has ended.', 'Create a new session.'),
      detail = hidden.api_response('ENDED');
  end if;
  NEW.title := btrim(NEW.title);
  if NEW.status is distinct from OLD.status then
    if (OLD.status, NEW.status) not in (('scheduled', 'live'), ('scheduled', 'ended'), ('live', 'ended')) then
      raise sqlstate 'PGRST' using
        message = hidden.api_error(
          'STATE',
          format('A session cannot go from %s to %s.', OLD.status, NEW.status),
          'Sessions go scheduled -> live -> ended.'
        ),
        detail = hidden.api_response('STATE');
    end if;
    if NEW.status = 'live' then
      NEW.started_at := now();
    else
      NEW.ended_at := now();
      NEW.listener_count := 0;
    end if;
  end if;
  return NEW;
end
$$;

-- From 20261127190400_rooms-lifecycle.sql.
create or replace function hidden.invite_code(p_session_id uuid, p_rotate boolean) returns text
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_session public.dj_sessions;
  v_code text;
begin
  select * into v_session from public.dj_sessions as s where s.id = p_session_id;
  if v_session is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such session.', 'Check the session id.'),
      detail = hidden.api_response('P0002');
  end if;
  if not hidden.can_moderate_session(p_session_id) then
    raise exception 'Only the DJ and moderators see the invite code.'
      using errcode = '42501', hint = 'Ask the DJ for an invite.';
  end if;
  if v_session.visibility <> 'private' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('STATE', 'This session is not private.', 'Anyone allowed can join without a code.'),
      detail = hidden.api_response('STATE');
  end if;
  if p_rotate then
    update private.session_invites as i set code = private.new_invite_code(), created_at = now()
    where i.session_id = p_session_id returning i.code into v_code;
  else
    select i.code into v_code from private.session_invites as i where i.session_id = p_session_id;
  end if;
  return v_code;
end
$$;

-- From 20261127190400_rooms-lifecycle.sql.
create or replace function hidden.require_session_change(p_found boolean, p_session_id uuid) returns void
language plpgsql stable
set search_path = ''
as $$
begin
  if not p_found then
    if exists (select 1 from public.dj_sessions as s where s.id = p_session_id) then
      raise exception 'Only the DJ (or a moderator, for chat settings) can change this session.'
        using errcode = '42501', hint = 'Ask the DJ.';
    end if;
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such session.', 'Check the session id.'),
      detail = hidden.api_response('P0002');
  end if;
end
$$;

-- From 20261127190400_rooms-lifecycle.sql.
create or replace function public.go_live(p_session_id uuid) returns public.dj_sessions
language plpgsql volatile
set search_path = ''
as $$
declare
  v_row public.dj_sessions;
begin
  perform hidden.require_user();
  update public.dj_sessions as s set status = 'live'
  where s.id = p_session_id and s.dj_id = (select auth.uid())
  returning * into v_row;
  perform hidden.require_session_change(v_row.id is not null, p_session_id);
  return v_row;
exception
  when unique_violation then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'LIVE1',
        'You already have a live session.',
        'End it before going live with another one.'
      ),
      detail = hidden.api_response('LIVE1');
end
$$;

-- From 20261127190700_rooms-presence.sql.
create or replace function hidden.join_session(p_session_id uuid, p_invite_code text) returns public.membership
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
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such session.', 'Check the session id.'),
      detail = hidden.api_response('P0002');
  elsif (v_ctx.session).status = 'ended' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('ENDED', 'This session has ended.', 'Find a live one in the directory.'),
      detail = hidden.api_response('ENDED');
  end if;
  v_member := v_ctx.member;
  if v_uid <> (v_ctx.session).dj_id then
    if v_ctx.banned then
      raise sqlstate 'PGRST' using
        message = hidden.api_error('BANND', 'You are banned from this DJ''s sessions.', 'Contact the DJ to appeal.'),
        detail = hidden.api_response('BANND');
    elsif v_ctx.blocked then
      raise sqlstate 'PGRST' using
        message = hidden.api_error('BLOCK', 'You cannot join this session.', 'The DJ has restricted who can join.'),
        detail = hidden.api_response('BLOCK');
    end if;
    if v_member.session_id is null and not v_ctx.team then  -- members rejoin without a re-check
      if (v_ctx.session).visibility = 'followers' and not v_ctx.follows then
        raise sqlstate 'PGRST' using
          message = hidden.api_error('NOFLW', 'This session is for the DJ''s followers.', 'Follow the DJ to join.'),
          detail = hidden.api_response('NOFLW');
      elsif (v_ctx.session).visibility = 'private' and not v_ctx.invited then
        raise sqlstate 'PGRST' using
          message = hidden.api_error('INVIT', 'This session is private.', 'Ask the DJ for the invite code.'),
          detail = hidden.api_response('INVIT');
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

-- From 20261127190700_rooms-presence.sql.
create or replace function public.set_cohost(p_session_id uuid, p_user_id uuid, p_cohost boolean default true)
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
    raise sqlstate 'PGRST' using
      message = hidden.api_error('NOTIN', 'That user is not in the session.', 'They need to join first.'),
      detail = hidden.api_response('NOTIN');
  end if;
  return v_row;
end
$$;

-- From 20261202070100_rooms-announcements.sql.
create or replace function hidden.announce(p_session_id uuid, p_body text) returns public.dj_sessions
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_body text := nullif(btrim(coalesce(p_body, '')), '');
  v_session public.dj_sessions;
begin
  select * into v_session from public.dj_sessions as s where s.id = p_session_id;
  if v_session.id is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such session.', 'Check the session id.'),
      detail = hidden.api_response('P0002');
  elsif not hidden.can_moderate_session(p_session_id) then
    raise exception 'Only the DJ''s team can pin an announcement.' using errcode = '42501', hint = 'Ask the DJ.';
  elsif v_session.status = 'ended' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('ENDED', 'This session has ended.', 'Announce in your next session.'),
      detail = hidden.api_response('ENDED');
  elsif char_length(v_body) > 280 then
    raise exception 'An announcement is at most 280 characters.' using errcode = 'MSGLN', hint = 'Shorten it.';
  end if;
  update public.dj_sessions as s
  set announcement = v_body, announced_by = v_uid, announced_at = now()
  where s.id = p_session_id
  returning * into v_session;
  return v_session;
end
$$;
