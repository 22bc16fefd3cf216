-- FUNCTION: tg_chat_messages__moderate()
CREATE FUNCTION private.tg_chat_messages__moderate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := auth.uid();
  v_moderator boolean := v_uid is null or NEW.session_id in (select hidden.my_moderated_room_ids()) or hidden.is_staff();
  v_dj uuid;
begin
  if NEW.status = OLD.status then
    NEW.delete_reason := OLD.delete_reason;
    return NEW;  -- nothing to do (e.g. deleting twice)
  end if;
  if OLD.status = 'deleted' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('STATE', 'This message was deleted.', 'Deleted messages stay deleted.'),
      detail = hidden.api_response('STATE');
  end if;
  if NEW.status = 'visible' and not v_moderator then
    raise exception 'Only moderators approve held messages.' using errcode = '42501', hint = 'Ask a moderator.';
  end if;
  if NEW.status = 'deleted' then
    NEW.deleted_at := now();
    NEW.deleted_by := v_uid;
    NEW.delete_reason := case when v_uid is distinct from OLD.author_id then NEW.delete_reason end;
  end if;
  if v_uid is distinct from OLD.author_id then
    select s.dj_id into v_dj from public.dj_sessions as s where s.id = NEW.session_id;
    perform private.log_moderation(v_dj, NEW.session_id,
      case when NEW.status = 'deleted' then 'delete_message' else 'approve_message' end::public.moderation_action,
      OLD.author_id, OLD.id, coalesce(NEW.delete_reason, ''),
      jsonb_build_object('status', OLD.status, 'body', OLD.body), jsonb_build_object('status', NEW.status));
  end if;
  return NEW;
end
$$;

-- COMMENT: FUNCTION tg_chat_messages__moderate()
COMMENT ON FUNCTION private.tg_chat_messages__moderate() IS 'Before a message''s status changes: authors delete their own, moderators delete or approve; recorded and logged.';

-- ACL: FUNCTION tg_chat_messages__moderate()
REVOKE ALL ON FUNCTION private.tg_chat_messages__moderate() FROM PUBLIC;
