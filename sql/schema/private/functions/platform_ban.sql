-- FUNCTION: platform_ban(uuid, text)
CREATE FUNCTION private.platform_ban(p_user_id uuid, p_reason text) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  -- GoTrue's Admin API writes now() + ban_duration; a century is what "banned until lifted" means.
  update auth.users as u set banned_until = now() + interval '876000 hours' where u.id = p_user_id;
  if not found then
    return false;
  end if;
  insert into private.platform_bans (user_id, reason) values (p_user_id, left(btrim(p_reason), 500));
  update public.dj_sessions as s set status = 'ended' where s.dj_id = p_user_id and s.status <> 'ended';
  update public.session_members as m set left_at = now() where m.user_id = p_user_id and m.left_at is null;
  return true;
end
$$;

-- COMMENT: FUNCTION platform_ban(p_user_id uuid, p_reason text)
COMMENT ON FUNCTION private.platform_ban(p_user_id uuid, p_reason text) IS 'Suspend a user everywhere (Auth refuses them; PostgREST, Storage and Realtime refuse their requests; their live and scheduled sessions end; they leave their rooms); false if unknown.';

-- ACL: FUNCTION platform_ban(p_user_id uuid, p_reason text)
REVOKE ALL ON FUNCTION private.platform_ban(p_user_id uuid, p_reason text) FROM PUBLIC;
