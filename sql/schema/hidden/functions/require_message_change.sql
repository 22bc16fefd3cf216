-- FUNCTION: require_message_change(boolean, uuid)
CREATE FUNCTION hidden.require_message_change(p_found boolean, p_message_id uuid) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  if not p_found then
    if exists (select 1 from public.chat_messages as c where c.id = p_message_id) then
      raise exception 'Only the author or a moderator can do that.' using errcode = '42501', hint = 'Report it instead.';
    end if;
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such message.', 'Check the message id.'),
      detail = hidden.api_response('P0002');
  end if;
end
$$;

-- COMMENT: FUNCTION require_message_change(p_found boolean, p_message_id uuid)
COMMENT ON FUNCTION hidden.require_message_change(p_found boolean, p_message_id uuid) IS 'After an RLS-filtered message update: turn "nothing matched" into not-found (P0002) or not-allowed (42501).';

-- ACL: FUNCTION require_message_change(p_found boolean, p_message_id uuid)
REVOKE ALL ON FUNCTION hidden.require_message_change(p_found boolean, p_message_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.require_message_change(p_found boolean, p_message_id uuid) TO authenticated;
