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
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such session.', 'Check the session id.'),
      detail = hidden.api_response('P0002');
  elsif p_session.status = 'ended' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('ENDED', 'This session has ended.', 'The queue is closed.'),
      detail = hidden.api_response('ENDED');
  end if;
  if hidden.is_anonymous(p_uid) and not coalesce((hidden.setting('anonymous_may_request'))::boolean, false) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'ANONY',
        'Guests cannot request or vote here.',
        'Sign in with a phone number, Apple or Google first.'
      ),
      detail = hidden.api_response('ANONY');
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
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'BANND',
        'You are banned or timed out in this DJ''s sessions.',
        'You can request and vote again when it is lifted.'
      ),
      detail = hidden.api_response('BANND');
  end if;
  if not exists (
    select 1 from public.session_members as m
    where m.session_id = p_session.id and m.user_id = p_uid and m.left_at is null
  ) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('NOTIN', 'Join the session first.', 'Call join_session.'),
      detail = hidden.api_response('NOTIN');
  end if;
  if p_session.queue_locked then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('QLOCK', 'The DJ locked the queue.', 'Wait for the DJ to unlock it.'),
      detail = hidden.api_response('QLOCK');
  end if;
  return false;
end
$$;

-- COMMENT: FUNCTION require_queue_listener(p_session public.dj_sessions, p_uid uuid)
COMMENT ON FUNCTION private.require_queue_listener(p_session public.dj_sessions, p_uid uuid) IS 'Check the caller may act on this session''s queue (raises the reason otherwise); returns whether they are the DJ''s team.';

-- ACL: FUNCTION require_queue_listener(p_session public.dj_sessions, p_uid uuid)
REVOKE ALL ON FUNCTION private.require_queue_listener(p_session public.dj_sessions, p_uid uuid) FROM PUBLIC;
