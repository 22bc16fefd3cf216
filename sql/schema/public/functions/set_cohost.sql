-- FUNCTION: set_cohost(uuid, uuid, boolean)
CREATE FUNCTION public.set_cohost(p_session_id uuid, p_user_id uuid, p_cohost boolean DEFAULT true) RETURNS public.session_members
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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

-- COMMENT: FUNCTION set_cohost(p_session_id uuid, p_user_id uuid, p_cohost boolean)
COMMENT ON FUNCTION public.set_cohost(p_session_id uuid, p_user_id uuid, p_cohost boolean) IS 'Make a present member a co-host of your session (they can moderate and run the queue), or undo it.
Errors: LOGIN; 42501 not your session; NOTIN not present.
Example: await supabase.rpc(''set_cohost'', { p_session_id: id, p_user_id: uid })';

-- ACL: FUNCTION set_cohost(p_session_id uuid, p_user_id uuid, p_cohost boolean)
REVOKE ALL ON FUNCTION public.set_cohost(p_session_id uuid, p_user_id uuid, p_cohost boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION public.set_cohost(p_session_id uuid, p_user_id uuid, p_cohost boolean) TO authenticated;
