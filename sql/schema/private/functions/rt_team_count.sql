-- FUNCTION: rt_team_count(uuid)
CREATE FUNCTION private.rt_team_count(p_session_id uuid) RETURNS integer
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  return (
    select count(*)::integer from public.session_members as m
    where m.session_id = p_session_id and m.left_at is null and m.role <> 'listener' and m.foreground
  );
end
$$;

-- COMMENT: FUNCTION rt_team_count(p_session_id uuid)
COMMENT ON FUNCTION private.rt_team_count(p_session_id uuid) IS 'The DJ''s team present in the foreground of a room: the staff lane''s subscribers.';

-- ACL: FUNCTION rt_team_count(p_session_id uuid)
REVOKE ALL ON FUNCTION private.rt_team_count(p_session_id uuid) FROM PUBLIC;
