-- FUNCTION: join_session(uuid, text)
CREATE FUNCTION public.join_session(p_session_id uuid, p_invite_code text DEFAULT NULL::text) RETURNS public.membership
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  return hidden.join_session(p_session_id, p_invite_code, true);
end
$$;

-- COMMENT: FUNCTION join_session(p_session_id uuid, p_invite_code text)
COMMENT ON FUNCTION public.join_session(p_session_id uuid, p_invite_code text) IS 'Join (or rejoin) a scheduled or live session; idempotent. Anonymous sign-ins may join to listen. Private sessions need p_invite_code the first time. Then send heartbeat every 30 s. Returns your membership.
Errors: LOGIN; P0002 no such session; ENDED; BANND banned; BLOCK the DJ blocked you; NOFLW followers only; INVIT wrong or missing invite code.
Example: const { data: me } = await supabase.rpc(''join_session'', { p_session_id: id, p_invite_code: code })';

-- ACL: FUNCTION join_session(p_session_id uuid, p_invite_code text)
REVOKE ALL ON FUNCTION public.join_session(p_session_id uuid, p_invite_code text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.join_session(p_session_id uuid, p_invite_code text) TO authenticated;
