-- FUNCTION: leave_session(uuid)
CREATE FUNCTION public.leave_session(p_session_id uuid) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  return hidden.leave_session(p_session_id, hidden.require_user());
end
$$;

-- COMMENT: FUNCTION leave_session(p_session_id uuid)
COMMENT ON FUNCTION public.leave_session(p_session_id uuid) IS 'Leave a session (idempotent). Returns whether you were in it.
Errors: LOGIN.
Example: await supabase.rpc(''leave_session'', { p_session_id: id })';

-- ACL: FUNCTION leave_session(p_session_id uuid)
REVOKE ALL ON FUNCTION public.leave_session(p_session_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.leave_session(p_session_id uuid) TO authenticated;
