-- FUNCTION: notify(uuid, public.notification_kind, text, uuid, uuid, uuid, jsonb)
CREATE FUNCTION private.notify(p_user_id uuid, p_kind public.notification_kind, p_dedupe_key text, p_actor_id uuid, p_session_id uuid DEFAULT NULL::uuid, p_message_id uuid DEFAULT NULL::uuid, p_payload jsonb DEFAULT '{}'::jsonb) RETURNS void
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  insert into public.notifications (user_id, kind, dedupe_key, actor_id, session_id, message_id, payload)
  values (p_user_id, p_kind, p_dedupe_key, p_actor_id, p_session_id, p_message_id, p_payload)
  on conflict (user_id, dedupe_key) do nothing
$$;

-- COMMENT: FUNCTION notify(p_user_id uuid, p_kind public.notification_kind, p_dedupe_key text, p_actor_id uuid, p_session_id uuid, p_message_id uuid, p_payload jsonb)
COMMENT ON FUNCTION private.notify(p_user_id uuid, p_kind public.notification_kind, p_dedupe_key text, p_actor_id uuid, p_session_id uuid, p_message_id uuid, p_payload jsonb) IS 'Add a notification unless this user already has one for the same event (dedupe key).';

-- ACL: FUNCTION notify(p_user_id uuid, p_kind public.notification_kind, p_dedupe_key text, p_actor_id uuid, p_session_id uuid, p_message_id uuid, p_payload jsonb)
REVOKE ALL ON FUNCTION private.notify(p_user_id uuid, p_kind public.notification_kind, p_dedupe_key text, p_actor_id uuid, p_session_id uuid, p_message_id uuid, p_payload jsonb) FROM PUBLIC;
