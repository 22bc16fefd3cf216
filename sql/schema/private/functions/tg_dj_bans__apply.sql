-- FUNCTION: tg_dj_bans__apply()
CREATE FUNCTION private.tg_dj_bans__apply() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if TG_OP = 'INSERT' then
    if NEW.kind = 'ban' then
      update public.session_members as m set left_at = now()
      from public.dj_sessions as s
      where s.id = m.session_id and s.dj_id = NEW.dj_id and m.user_id = NEW.user_id and m.left_at is null;
    end if;
    perform private.log_moderation(NEW.dj_id, null, NEW.kind::text::public.moderation_action, NEW.user_id,
      null, NEW.reason, null, jsonb_build_object('ban_id', NEW.id, 'expires_at', NEW.expires_at));
  elsif NEW.revoked_at is not null and OLD.revoked_at is null then
    perform private.log_moderation(NEW.dj_id, null, 'unban', NEW.user_id, null, '',
      jsonb_build_object('ban_id', NEW.id, 'kind', NEW.kind, 'expires_at', NEW.expires_at),
      jsonb_build_object('revoked_at', NEW.revoked_at));
  end if;
  return null;
end
$$;

-- COMMENT: FUNCTION tg_dj_bans__apply()
COMMENT ON FUNCTION private.tg_dj_bans__apply() IS 'After a ban is written: a ban removes the user from the DJ''s rooms; every change is logged.';

-- ACL: FUNCTION tg_dj_bans__apply()
REVOKE ALL ON FUNCTION private.tg_dj_bans__apply() FROM PUBLIC;
