-- FUNCTION: may_hear_dj_audio(text)
CREATE FUNCTION hidden.may_hear_dj_audio(p_dj_folder text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select (select auth.uid())::text = p_dj_folder
    or hidden.is_staff()
    or exists (
      select 1 from public.dj_sessions as s
      join public.session_members as m on m.session_id = s.id
      where s.dj_id::text = p_dj_folder and s.status = 'live'
        and m.user_id = (select auth.uid()) and m.left_at is null
    )
$$;

-- COMMENT: FUNCTION may_hear_dj_audio(p_dj_folder text)
COMMENT ON FUNCTION hidden.may_hear_dj_audio(p_dj_folder text) IS 'Whether the caller may read audio in a DJ''s folder: the DJ, staff, or a present listener of their live session.';

-- ACL: FUNCTION may_hear_dj_audio(p_dj_folder text)
REVOKE ALL ON FUNCTION hidden.may_hear_dj_audio(p_dj_folder text) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.may_hear_dj_audio(p_dj_folder text) TO authenticated;
