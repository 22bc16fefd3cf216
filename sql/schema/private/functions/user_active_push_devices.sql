-- FUNCTION: user_active_push_devices(uuid)
CREATE FUNCTION private.user_active_push_devices(p_user_id uuid) RETURNS TABLE(id uuid, token text)
    LANGUAGE sql STABLE STRICT
    SET search_path TO ''
    AS $$
  select d.id, d.token
  from public.push_devices as d
  where d.user_id = p_user_id and d.active
  order by d.registered_at desc
$$;

-- COMMENT: FUNCTION user_active_push_devices(p_user_id uuid)
COMMENT ON FUNCTION private.user_active_push_devices(p_user_id uuid) IS 'A user''s active push devices (id and Expo token), newest first: where a test push goes; pass the ids Expo answers DeviceNotRegistered for to private.push_deactivate (whatssound push test).';

-- ACL: FUNCTION user_active_push_devices(p_user_id uuid)
REVOKE ALL ON FUNCTION private.user_active_push_devices(p_user_id uuid) FROM PUBLIC;
