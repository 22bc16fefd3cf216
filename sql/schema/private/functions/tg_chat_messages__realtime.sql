-- FUNCTION: tg_chat_messages__realtime()
CREATE FUNCTION private.tg_chat_messages__realtime() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_dj uuid;
  v_author record;
begin
  if NEW.status = 'visible' and (TG_OP = 'INSERT' or OLD.status = 'held') then
    select s.dj_id into v_dj from public.dj_sessions as s where s.id = NEW.session_id;
    select p.handle, p.display_name into v_author from public.profiles as p where p.id = NEW.author_id;
    perform private.rt_emit(NEW.session_id, 'chat.message', jsonb_build_object(
      'id', NEW.id, 'author_id', NEW.author_id, 'author_handle', v_author.handle,
      'author_name', v_author.display_name, 'body', NEW.body, 'reply_to_id', NEW.reply_to_id,
      'mentions', to_jsonb(NEW.mentions), 'created_at', NEW.created_at,
      'priority', NEW.author_id = v_dj or v_dj = any (NEW.mentions) or exists (
        select 1 from public.dj_moderators as d where d.dj_id = v_dj and d.user_id = NEW.author_id
      )
    ), true);
  elsif TG_OP = 'INSERT' and NEW.status = 'held' then
    select p.handle into v_author from public.profiles as p where p.id = NEW.author_id;
    perform private.rt_staff_event(NEW.session_id, 'chat.held', jsonb_build_object(
      'id', NEW.id, 'author_id', NEW.author_id, 'author_handle', v_author.handle, 'body', NEW.body,
      'held_term', NEW.held_term, 'created_at', NEW.created_at
    ));
  elsif TG_OP = 'UPDATE' and NEW.status = 'deleted' and OLD.status = 'visible' then
    perform private.rt_emit(NEW.session_id, 'chat.deleted', jsonb_build_object(
      'id', NEW.id, 'deleted_by', NEW.deleted_by, 'by_moderator', NEW.deleted_by is distinct from NEW.author_id
    ), false);
  end if;
  return null;
end
$$;

-- COMMENT: FUNCTION tg_chat_messages__realtime()
COMMENT ON FUNCTION private.tg_chat_messages__realtime() IS 'Chat changes the room sees: chat.message (batched in big rooms; the staff lane has it at once), chat.deleted; a held message goes to the staff lane (chat.held).';

-- ACL: FUNCTION tg_chat_messages__realtime()
REVOKE ALL ON FUNCTION private.tg_chat_messages__realtime() FROM PUBLIC;
