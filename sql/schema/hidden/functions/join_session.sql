-- FUNCTION: join_session(uuid, text)
CREATE FUNCTION hidden.join_session(p_session_id uuid, p_invite_code text) RETURNS public.membership
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
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

-- COMMENT: FUNCTION join_session(p_session_id uuid, p_invite_code text)
COMMENT ON FUNCTION hidden.join_session(p_session_id uuid, p_invite_code text) IS 'Implementation of public.join_session (reads the private invite code).';

-- FUNCTION: join_session(uuid, text, boolean)
CREATE FUNCTION hidden.join_session(p_session_id uuid, p_invite_code text, p_foreground boolean) RETURNS public.membership
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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

-- COMMENT: FUNCTION join_session(p_session_id uuid, p_invite_code text, p_foreground boolean)
COMMENT ON FUNCTION hidden.join_session(p_session_id uuid, p_invite_code text, p_foreground boolean) IS 'join_session, recording whether the app is in the foreground (NULL: unchanged).';

-- ACL: FUNCTION join_session(p_session_id uuid, p_invite_code text)
REVOKE ALL ON FUNCTION hidden.join_session(p_session_id uuid, p_invite_code text) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.join_session(p_session_id uuid, p_invite_code text) TO authenticated;

-- ACL: FUNCTION join_session(p_session_id uuid, p_invite_code text, p_foreground boolean)
REVOKE ALL ON FUNCTION hidden.join_session(p_session_id uuid, p_invite_code text, p_foreground boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.join_session(p_session_id uuid, p_invite_code text, p_foreground boolean) TO authenticated;
