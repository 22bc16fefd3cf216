-- FUNCTION: user_push_devices(uuid)
CREATE FUNCTION private.user_push_devices(p_user_id uuid) RETURNS TABLE(token text, platform text, active boolean, deactivated_reason text, registered_at timestamp with time zone)
    LANGUAGE sql STABLE STRICT
    SET search_path TO ''
    AS $$
  select d.token, d.platform, d.active, d.deactivated_reason, d.registered_at
  from public.push_devices as d
  where d.user_id = p_user_id
  order by d.registered_at desc
$$;

-- COMMENT: FUNCTION user_push_devices(p_user_id uuid)
COMMENT ON FUNCTION private.user_push_devices(p_user_id uuid) IS 'A user''s push devices, active or not (and why not), newest first (whatssound push devices).';

-- ACL: FUNCTION user_push_devices(p_user_id uuid)
REVOKE ALL ON FUNCTION private.user_push_devices(p_user_id uuid) FROM PUBLIC;
