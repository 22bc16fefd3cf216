-- FUNCTION: invite_code(uuid, boolean)
CREATE FUNCTION hidden.invite_code(p_session_id uuid, p_rotate boolean) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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

-- COMMENT: FUNCTION invite_code(p_session_id uuid, p_rotate boolean)
COMMENT ON FUNCTION hidden.invite_code(p_session_id uuid, p_rotate boolean) IS 'Implementation of get_invite_code / regenerate_invite_code: the DJ''s and moderators'' view of the code.';

-- ACL: FUNCTION invite_code(p_session_id uuid, p_rotate boolean)
REVOKE ALL ON FUNCTION hidden.invite_code(p_session_id uuid, p_rotate boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.invite_code(p_session_id uuid, p_rotate boolean) TO authenticated;
