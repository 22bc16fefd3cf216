-- FUNCTION: approve_message(uuid)
CREATE FUNCTION public.approve_message(p_message_id uuid) RETURNS public.chat_messages
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_row public.chat_messages;
begin
  perform hidden.require_user();
  update public.chat_messages as c set status = 'visible'
  where c.id = p_message_id
  returning * into v_row;
  perform hidden.require_message_change(v_row.id is not null, p_message_id);
  return v_row;
end
$$;

-- COMMENT: FUNCTION approve_message(p_message_id uuid)
COMMENT ON FUNCTION public.approve_message(p_message_id uuid) IS 'Release a held message to the room (moderators; logged). Returns it.
Errors: LOGIN; P0002; 42501; STATE deleted.
Example: await supabase.rpc(''approve_message'', { p_message_id: id })';

-- ACL: FUNCTION approve_message(p_message_id uuid)
REVOKE ALL ON FUNCTION public.approve_message(p_message_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.approve_message(p_message_id uuid) TO authenticated;
