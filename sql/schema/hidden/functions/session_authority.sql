-- FUNCTION: session_authority(uuid, uuid)
CREATE FUNCTION hidden.session_authority(p_session_id uuid, p_user_id uuid) RETURNS public.member_role
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return (
    select case
      when s.dj_id = p_user_id then 'dj'::public.member_role
      when exists (
        select 1 from public.session_members as m
        where m.session_id = s.id and m.user_id = p_user_id and m.role = 'cohost' and m.left_at is null
      ) then 'cohost'
      when exists (
        select 1 from public.dj_moderators as d where d.dj_id = s.dj_id and d.user_id = p_user_id
      ) then 'moderator'
      when exists (
        select 1 from public.session_members as m
        where m.session_id = s.id and m.user_id = p_user_id and m.left_at is null
      ) then 'listener'
    end
    from public.dj_sessions as s
    where s.id = p_session_id
  );
end
$$;

-- COMMENT: FUNCTION session_authority(p_session_id uuid, p_user_id uuid)
COMMENT ON FUNCTION hidden.session_authority(p_session_id uuid, p_user_id uuid) IS 'What a user may do in a session: dj, cohost (present), moderator (the DJ''s), listener (present) or NULL.';

-- ACL: FUNCTION session_authority(p_session_id uuid, p_user_id uuid)
REVOKE ALL ON FUNCTION hidden.session_authority(p_session_id uuid, p_user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.session_authority(p_session_id uuid, p_user_id uuid) TO authenticated;
GRANT ALL ON FUNCTION hidden.session_authority(p_session_id uuid, p_user_id uuid) TO service_role;
