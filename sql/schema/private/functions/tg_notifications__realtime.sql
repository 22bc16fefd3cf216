-- FUNCTION: tg_notifications__realtime()
CREATE FUNCTION private.tg_notifications__realtime() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  perform private.rt_user_event(NEW.user_id, 'notification', jsonb_build_object(
    'id', NEW.id, 'kind', NEW.kind, 'actor_id', NEW.actor_id, 'session_id', NEW.session_id,
    'message_id', NEW.message_id, 'payload', NEW.payload, 'created_at', NEW.created_at
  ));
  return null;
end
$$;

-- COMMENT: FUNCTION tg_notifications__realtime()
COMMENT ON FUNCTION private.tg_notifications__realtime() IS 'Every new feed row reaches its user live on user:<id>.';

-- ACL: FUNCTION tg_notifications__realtime()
REVOKE ALL ON FUNCTION private.tg_notifications__realtime() FROM PUBLIC;
