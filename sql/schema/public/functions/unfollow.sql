-- FUNCTION: unfollow(uuid)
CREATE FUNCTION public.unfollow(p_user_id uuid) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := hidden.require_user();
begin
  delete from public.follows as f where f.follower_id = v_uid and f.followee_id = p_user_id;
  return found;
end
$$;

-- COMMENT: FUNCTION unfollow(p_user_id uuid)
COMMENT ON FUNCTION public.unfollow(p_user_id uuid) IS 'Stop following a user (idempotent). Returns whether a follow was removed.
Errors: LOGIN.
Example: await supabase.rpc(''unfollow'', { p_user_id: djId })';

-- ACL: FUNCTION unfollow(p_user_id uuid)
REVOKE ALL ON FUNCTION public.unfollow(p_user_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.unfollow(p_user_id uuid) TO authenticated;
