-- FUNCTION: can_moderate_dj(uuid)
CREATE FUNCTION hidden.can_moderate_dj(p_dj_id uuid) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return p_dj_id = auth.uid()
    or exists (select 1 from public.dj_moderators as m where m.dj_id = p_dj_id and m.user_id = auth.uid())
    or exists (select 1 from private.staff as s where s.user_id = auth.uid());
end
$$;

-- COMMENT: FUNCTION can_moderate_dj(p_dj_id uuid)
COMMENT ON FUNCTION hidden.can_moderate_dj(p_dj_id uuid) IS 'Whether the caller moderates this DJ''s channel (the DJ, a moderator, staff).';

-- ACL: FUNCTION can_moderate_dj(p_dj_id uuid)
REVOKE ALL ON FUNCTION hidden.can_moderate_dj(p_dj_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.can_moderate_dj(p_dj_id uuid) TO authenticated;
GRANT ALL ON FUNCTION hidden.can_moderate_dj(p_dj_id uuid) TO service_role;
