-- FUNCTION: tg_dj_sessions__rerank()
CREATE FUNCTION private.tg_dj_sessions__rerank() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  perform private.rerank_session(NEW.id);
  return null;
end
$$;

-- COMMENT: FUNCTION tg_dj_sessions__rerank()
COMMENT ON FUNCTION private.tg_dj_sessions__rerank() IS 'After a session''s queue policy changes: re-key its queue.';

-- ACL: FUNCTION tg_dj_sessions__rerank()
REVOKE ALL ON FUNCTION private.tg_dj_sessions__rerank() FROM PUBLIC;
