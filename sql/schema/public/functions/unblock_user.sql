-- FUNCTION: unblock_user(uuid)
CREATE FUNCTION public.unblock_user(p_user_id uuid) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := hidden.require_user();
begin
  delete from public.blocks as b where b.blocker_id = v_uid and b.blocked_id = p_user_id;
  return found;
end
$$;

-- COMMENT: FUNCTION unblock_user(p_user_id uuid)
COMMENT ON FUNCTION public.unblock_user(p_user_id uuid) IS 'Remove a block (idempotent). Returns whether one was removed. Follows are not restored.
Errors: LOGIN.
Example: await supabase.rpc(''unblock_user'', { p_user_id: userId })';

-- ACL: FUNCTION unblock_user(p_user_id uuid)
REVOKE ALL ON FUNCTION public.unblock_user(p_user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.unblock_user(p_user_id uuid) TO authenticated;
