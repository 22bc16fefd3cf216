-- FUNCTION: tg_dj_sessions__close_queue()
CREATE FUNCTION private.tg_dj_sessions__close_queue() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  perform private.finish_playing(NEW.id, 'played', null);
  return null;
end
$$;

-- COMMENT: FUNCTION tg_dj_sessions__close_queue()
COMMENT ON FUNCTION private.tg_dj_sessions__close_queue() IS 'When a session ends, what is playing goes into the play log as played.';

-- ACL: FUNCTION tg_dj_sessions__close_queue()
REVOKE ALL ON FUNCTION private.tg_dj_sessions__close_queue() FROM PUBLIC;
