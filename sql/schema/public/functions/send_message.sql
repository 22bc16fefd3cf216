-- FUNCTION: send_message(uuid, text, uuid, uuid)
CREATE FUNCTION public.send_message(p_session_id uuid, p_body text, p_client_id uuid, p_reply_to_id uuid DEFAULT NULL::uuid) RETURNS public.chat_messages
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_row public.chat_messages;
begin
  -- Chat is ephemeral: commit without waiting for the WAL flush. A crash can lose at most the last
  -- ~0.6 s of acknowledged messages (3 x wal_writer_delay), never corrupt anything (decisions.md).
  perform set_config('synchronous_commit', 'off', true);
  if p_client_id is null then
    raise exception 'Every message needs a client id.' using errcode = '22023', hint = 'Send a fresh uuid v4 per message (and the same one on retry).';
  end if;
  insert into public.chat_messages (id, session_id, body, reply_to_id)
  values (p_client_id, p_session_id, p_body, p_reply_to_id)
  on conflict (id) do nothing
  returning * into v_row;
  if v_row is null then  -- a retry of a message already stored
    select * into v_row from public.chat_messages as c where c.id = p_client_id;
  end if;
  return v_row;
end
$$;

-- COMMENT: FUNCTION send_message(p_session_id uuid, p_body text, p_client_id uuid, p_reply_to_id uuid)
COMMENT ON FUNCTION public.send_message(p_session_id uuid, p_body text, p_client_id uuid, p_reply_to_id uuid) IS 'Send a chat message. p_client_id is a uuid the app generates per message (v7 preferred: time-ordered ids index cheaply): retrying with the same id never creates a second message (the stored one is returned). Body is trimmed, 1-500 chars; @handles are resolved and notified. Returns the message (status ''held'' if a blocked term holds it for review).
Errors: LOGIN; ANONY guests; MSGLN empty/too long; P0002 no session; ENDED; BANND; TMOUT (details.until); NOTIN join first; NOFLW followers-only; SUBSC subscribers-only; EMOTE emote-only; SLOWM slow mode (details.retry_after_seconds); RATEL too fast (details.retry_after_seconds); TERMS blocked term; IDCLS id used by another message; 22023 bad reply or missing id.
Example: await supabase.rpc(''send_message'', { p_session_id: id, p_body: ''hi @dj_nova'', p_client_id: crypto.randomUUID() })';

-- ACL: FUNCTION send_message(p_session_id uuid, p_body text, p_client_id uuid, p_reply_to_id uuid)
REVOKE ALL ON FUNCTION public.send_message(p_session_id uuid, p_body text, p_client_id uuid, p_reply_to_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.send_message(p_session_id uuid, p_body text, p_client_id uuid, p_reply_to_id uuid) TO authenticated;
