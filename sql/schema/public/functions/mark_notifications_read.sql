-- FUNCTION: mark_notifications_read(uuid[])
CREATE FUNCTION public.mark_notifications_read(p_ids uuid[] DEFAULT NULL::uuid[]) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := hidden.require_user();
  v_count integer;
begin
  update public.notifications as n set read_at = now()
  where n.user_id = v_uid and n.read_at is null and (p_ids is null or n.id = any (p_ids));
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

-- COMMENT: FUNCTION mark_notifications_read(p_ids uuid[])
COMMENT ON FUNCTION public.mark_notifications_read(p_ids uuid[]) IS 'Mark the caller''s notifications read: the given ids, or all when p_ids is omitted. Returns how many changed.
Errors: LOGIN.
Example: await supabase.rpc(''mark_notifications_read'', { p_ids: [id1, id2] })';

-- ACL: FUNCTION mark_notifications_read(p_ids uuid[])
REVOKE ALL ON FUNCTION public.mark_notifications_read(p_ids uuid[]) FROM PUBLIC;
GRANT ALL ON FUNCTION public.mark_notifications_read(p_ids uuid[]) TO authenticated;
