-- FUNCTION: remove_moderator(uuid)
CREATE FUNCTION public.remove_moderator(p_user_id uuid) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := hidden.require_user();
begin
  delete from public.dj_moderators as m where m.dj_id = v_uid and m.user_id = p_user_id;
  return found;
end
$$;

-- COMMENT: FUNCTION remove_moderator(p_user_id uuid)
COMMENT ON FUNCTION public.remove_moderator(p_user_id uuid) IS 'Stop a user moderating your sessions (idempotent). Returns whether they were a moderator.
Errors: LOGIN.
Example: await supabase.rpc(''remove_moderator'', { p_user_id: userId })';

-- ACL: FUNCTION remove_moderator(p_user_id uuid)
REVOKE ALL ON FUNCTION public.remove_moderator(p_user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.remove_moderator(p_user_id uuid) TO authenticated;
