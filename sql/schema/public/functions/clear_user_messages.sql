-- FUNCTION: clear_user_messages(uuid, uuid, text)
CREATE FUNCTION public.clear_user_messages(p_session_id uuid, p_user_id uuid, p_reason text DEFAULT NULL::text) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_count integer;
begin
  perform hidden.require_user();
  if not hidden.can_moderate_session(p_session_id) then
    raise exception 'Only moderators can clear a user''s messages.' using errcode = '42501', hint = 'Report the user instead.';
  end if;
  update public.chat_messages as c set status = 'deleted', delete_reason = p_reason
  where c.session_id = p_session_id and c.author_id = p_user_id and c.status <> 'deleted';
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

-- COMMENT: FUNCTION clear_user_messages(p_session_id uuid, p_user_id uuid, p_reason text)
COMMENT ON FUNCTION public.clear_user_messages(p_session_id uuid, p_user_id uuid, p_reason text) IS 'Delete all of a user''s messages in a session (moderators; each deletion is logged). Returns how many.
Errors: LOGIN; 42501.
Example: await supabase.rpc(''clear_user_messages'', { p_session_id: id, p_user_id: uid, p_reason: ''spam'' })';

-- ACL: FUNCTION clear_user_messages(p_session_id uuid, p_user_id uuid, p_reason text)
REVOKE ALL ON FUNCTION public.clear_user_messages(p_session_id uuid, p_user_id uuid, p_reason text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.clear_user_messages(p_session_id uuid, p_user_id uuid, p_reason text) TO authenticated;
