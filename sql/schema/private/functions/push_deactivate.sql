-- FUNCTION: push_deactivate(uuid[])
CREATE FUNCTION private.push_deactivate(p_device_ids uuid[]) RETURNS integer
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  with gone as (
    update public.push_devices as d set active = false, deactivated_reason = 'DeviceNotRegistered'
    where d.active and d.id = any(p_device_ids)
    returning 1
  )
  select count(*)::integer from gone
$$;

-- COMMENT: FUNCTION push_deactivate(p_device_ids uuid[])
COMMENT ON FUNCTION private.push_deactivate(p_device_ids uuid[]) IS 'Deactivate devices Expo reported as DeviceNotRegistered (the app uninstalled, the token revoked). Returns how many were still active.';

-- ACL: FUNCTION push_deactivate(p_device_ids uuid[])
REVOKE ALL ON FUNCTION private.push_deactivate(p_device_ids uuid[]) FROM PUBLIC;
