-- FUNCTION: tg_dj_sessions__after()
CREATE FUNCTION private.tg_dj_sessions__after() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if NEW.visibility = 'private' then
    insert into private.session_invites (session_id, code) values (NEW.id, private.new_invite_code())
    on conflict (session_id) do nothing;
  end if;
  if TG_OP = 'UPDATE' and NEW.status = 'ended' and OLD.status <> 'ended' then
    update public.session_members as m set left_at = now()
    where m.session_id = NEW.id and m.left_at is null;
  end if;
  return null;
end
$$;

-- COMMENT: FUNCTION tg_dj_sessions__after()
COMMENT ON FUNCTION private.tg_dj_sessions__after() IS 'After a session is written: give private sessions an invite code; when it ends, everyone leaves.';

-- ACL: FUNCTION tg_dj_sessions__after()
REVOKE ALL ON FUNCTION private.tg_dj_sessions__after() FROM PUBLIC;
