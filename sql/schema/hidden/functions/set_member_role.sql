-- FUNCTION: set_member_role(uuid, uuid, public.member_role)
CREATE FUNCTION hidden.set_member_role(p_session_id uuid, p_user_id uuid, p_role public.member_role) RETURNS public.session_members
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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

-- COMMENT: FUNCTION set_member_role(p_session_id uuid, p_user_id uuid, p_role public.member_role)
COMMENT ON FUNCTION hidden.set_member_role(p_session_id uuid, p_user_id uuid, p_role public.member_role) IS 'Implementation of set_cohost: the DJ changes a present member''s role (logged).';

-- ACL: FUNCTION set_member_role(p_session_id uuid, p_user_id uuid, p_role public.member_role)
REVOKE ALL ON FUNCTION hidden.set_member_role(p_session_id uuid, p_user_id uuid, p_role public.member_role) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.set_member_role(p_session_id uuid, p_user_id uuid, p_role public.member_role) TO authenticated;
