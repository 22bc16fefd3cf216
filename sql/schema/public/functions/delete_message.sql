-- FUNCTION: delete_message(uuid, text)
CREATE FUNCTION public.delete_message(p_message_id uuid, p_reason text DEFAULT NULL::text) RETURNS public.chat_messages
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_row public.chat_messages;
begin
  perform hidden.require_user();
  update public.chat_messages as c set status = 'deleted', delete_reason = p_reason
  where c.id = p_message_id
  returning * into v_row;
  perform hidden.require_message_change(v_row.id is not null, p_message_id);
  return v_row;
end
$$;

-- COMMENT: FUNCTION delete_message(p_message_id uuid, p_reason text)
COMMENT ON FUNCTION public.delete_message(p_message_id uuid, p_reason text) IS 'Delete a message: your own, or any in a room you moderate (with a reason; logged). Idempotent. Returns it.
Errors: LOGIN; P0002; 42501.
Example: await supabase.rpc(''delete_message'', { p_message_id: id, p_reason: ''spam'' })';

-- ACL: FUNCTION delete_message(p_message_id uuid, p_reason text)
REVOKE ALL ON FUNCTION public.delete_message(p_message_id uuid, p_reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.delete_message(p_message_id uuid, p_reason text) TO authenticated;
