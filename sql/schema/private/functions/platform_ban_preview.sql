-- FUNCTION: platform_ban_preview(uuid)
CREATE FUNCTION private.platform_ban_preview(p_user_id uuid) RETURNS TABLE(handle text, banned_until timestamp with time zone, sessions_to_end bigint, rooms_to_leave bigint)
    LANGUAGE sql STABLE STRICT
    SET search_path TO ''
    AS $$
  select
    p.handle,
    u.banned_until,
    (select count(*) from public.dj_sessions as s where s.dj_id = u.id and s.status <> 'ended'),
    (select count(*) from public.session_members as m where m.user_id = u.id and m.left_at is null)
  from auth.users as u
  left join public.profiles as p on u.id = p.id
  where u.id = p_user_id
$$;

-- COMMENT: FUNCTION platform_ban_preview(p_user_id uuid)
COMMENT ON FUNCTION private.platform_ban_preview(p_user_id uuid) IS 'What private.platform_ban would do to this user: the sessions it would end and the rooms they would leave; no row for an unknown user (whatssound users ban --dry-run).';

-- ACL: FUNCTION platform_ban_preview(p_user_id uuid)
REVOKE ALL ON FUNCTION private.platform_ban_preview(p_user_id uuid) FROM PUBLIC;
