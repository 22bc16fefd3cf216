-- FUNCTION: unregister_push_device(text)
CREATE FUNCTION public.unregister_push_device(p_token text) RETURNS boolean
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  with changed as (
    update public.push_devices as d set active = false, deactivated_reason = 'signed_out'
    where d.token = p_token and d.user_id = (select auth.uid()) and d.active
    returning 1
  )
  select exists (select 1 from changed)
$$;

-- COMMENT: FUNCTION unregister_push_device(p_token text)
COMMENT ON FUNCTION public.unregister_push_device(p_token text) IS 'Stop pushing to this device (call before signing out). Returns whether it was active.
Example: await supabase.rpc(''unregister_push_device'', { p_token: token })';

-- ACL: FUNCTION unregister_push_device(p_token text)
REVOKE ALL ON FUNCTION public.unregister_push_device(p_token text) FROM PUBLIC;
GRANT ALL ON FUNCTION public.unregister_push_device(p_token text) TO authenticated;
