-- FUNCTION: react(uuid, text)
CREATE FUNCTION hidden.react(p_session_id uuid, p_emoji text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := hidden.require_user();
  v_wait double precision;
begin
  if not (hidden.setting('reaction_emoji') ? p_emoji) then
    raise exception 'That reaction is not offered.' using errcode = '22023',
      detail = json_build_object('allowed', hidden.setting('reaction_emoji'))::text, hint = 'Use one of details.allowed.';
  end if;
  perform 1 from public.session_members as m
  where m.session_id = p_session_id and m.user_id = v_uid and m.left_at is null;
  if not found then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('NOTIN', 'Join the session to react.', 'Call join_session first.'),
      detail = hidden.api_response('NOTIN');
  end if;
  v_wait := hidden.take_token(v_uid, 'reaction', (hidden.setting('reaction_rate_capacity'))::integer,
    (hidden.setting('reaction_rate_per_second'))::double precision);
  if v_wait > 0 then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'RATEL',
        'You are reacting very fast.',
        'Wait a moment.',
        json_build_object('retry_after_seconds', v_wait)::text
      ),
      detail = hidden.api_response('RATEL', v_wait);
  end if;
  perform private.rt_emit(p_session_id, 'reaction', jsonb_build_object('emoji', p_emoji, 'user_id', v_uid), true);
  return true;
end
$$;

-- COMMENT: FUNCTION react(p_session_id uuid, p_emoji text)
COMMENT ON FUNCTION hidden.react(p_session_id uuid, p_emoji text) IS 'Implementation of public.react (a pure event: nothing is stored).';

-- ACL: FUNCTION react(p_session_id uuid, p_emoji text)
REVOKE ALL ON FUNCTION hidden.react(p_session_id uuid, p_emoji text) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.react(p_session_id uuid, p_emoji text) TO authenticated;
