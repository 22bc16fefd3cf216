-- FUNCTION: tg_chat_messages__after_insert()
CREATE FUNCTION private.tg_chat_messages__after_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_mentioned uuid;
begin
  foreach v_mentioned in array NEW.mentions loop
    perform private.notify(v_mentioned, 'mention', 'mention:' || NEW.id, NEW.author_id, NEW.session_id, NEW.id,
      jsonb_build_object('excerpt', left(NEW.body, 140)));
  end loop;
  return null;
end
$$;

-- COMMENT: FUNCTION tg_chat_messages__after_insert()
COMMENT ON FUNCTION private.tg_chat_messages__after_insert() IS 'After a message is stored: notify the users it mentions.';

-- ACL: FUNCTION tg_chat_messages__after_insert()
REVOKE ALL ON FUNCTION private.tg_chat_messages__after_insert() FROM PUBLIC;
