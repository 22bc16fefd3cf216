-- FUNCTION: tg_dj_sessions__delete_chat()
CREATE FUNCTION private.tg_dj_sessions__delete_chat() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  delete from public.chat_messages as c where c.session_id = OLD.id;
  return null;
end
$$;

-- COMMENT: FUNCTION tg_dj_sessions__delete_chat()
COMMENT ON FUNCTION private.tg_dj_sessions__delete_chat() IS 'When a session is deleted (its DJ''s account is): delete its chat, as a cascading foreign key would.';

-- ACL: FUNCTION tg_dj_sessions__delete_chat()
REVOKE ALL ON FUNCTION private.tg_dj_sessions__delete_chat() FROM PUBLIC;
