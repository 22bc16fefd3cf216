-- FUNCTION: require_queue_listener(public.dj_sessions, uuid)
CREATE FUNCTION private.require_queue_listener(p_session public.dj_sessions, p_uid uuid) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
declare
  v_team boolean;
begin
  if p_session.id is null then
    raise exception 'No such session.' using errcode = 'P0002', hint = 'Check the session id.';
  elsif p_session.status = 'ended' then
    raise exception 'This session has ended.' using errcode = 'ENDED', hint = 'The queue is closed.';
  end if;
  if hidden.is_anonymous(p_uid) and not coalesce((hidden.setting('anonymous_may_request'))::boolean, false) then
    raise exception 'Guests cannot request or vote here.'
      using errcode = 'ANONY', hint = 'Sign in with a phone number, Apple or Google first.';
  end if;
  v_team := p_uid = p_session.dj_id
    or exists (select 1 from public.dj_moderators as d where d.dj_id = p_session.dj_id and d.user_id = p_uid)
    or exists (
      select 1 from public.session_members as m
      where m.session_id = p_session.id and m.user_id = p_uid and m.role = 'cohost' and m.left_at is null
    );
  if v_team then
    return true;
  end if;
  if exists (
    select 1 from public.dj_bans as b
    where b.dj_id = p_session.dj_id and b.user_id = p_uid and b.revoked_at is null
      and (b.expires_at is null or b.expires_at > now())
  ) then
    raise exception 'You are banned or timed out in this DJ''s sessions.'
      using errcode = 'BANND', hint = 'You can request and vote again when it is lifted.';
  end if;
  if not exists (
    select 1 from public.session_members as m
    where m.session_id = p_session.id and m.user_id = p_uid and m.left_at is null
  ) then
    raise exception 'Join the session first.' using errcode = 'NOTIN', hint = 'Call join_session.';
  end if;
  if p_session.queue_locked then
    raise exception 'The DJ locked the queue.' using errcode = 'QLOCK', hint = 'Wait for the DJ to unlock it.';
  end if;
  return false;
end
$$;

-- COMMENT: FUNCTION require_queue_listener(p_session public.dj_sessions, p_uid uuid)
COMMENT ON FUNCTION private.require_queue_listener(p_session public.dj_sessions, p_uid uuid) IS 'Check the caller may act on this session''s queue (raises the reason otherwise); returns whether they are the DJ''s team.';

-- ACL: FUNCTION require_queue_listener(p_session public.dj_sessions, p_uid uuid)
REVOKE ALL ON FUNCTION private.require_queue_listener(p_session public.dj_sessions, p_uid uuid) FROM PUBLIC;
