-- FUNCTION: tg_dj_bans__realtime()
CREATE FUNCTION private.tg_dj_bans__realtime() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  perform private.rt_user_event(NEW.user_id, 'moderation.applied', jsonb_build_object(
    'kind', NEW.kind, 'dj_id', NEW.dj_id, 'expires_at', NEW.expires_at, 'reason', NEW.reason
  ));
  return null;
end
$$;

-- COMMENT: FUNCTION tg_dj_bans__realtime()
COMMENT ON FUNCTION private.tg_dj_bans__realtime() IS 'A ban or timeout reaches the affected user live (their app leaves or mutes the room).';

-- ACL: FUNCTION tg_dj_bans__realtime()
REVOKE ALL ON FUNCTION private.tg_dj_bans__realtime() FROM PUBLIC;
