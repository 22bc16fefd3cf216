-- FUNCTION: rc_set_access(uuid, jsonb, timestamp with time zone, timestamp with time zone)
CREATE FUNCTION private.rc_set_access(p_user uuid, p_entitlements jsonb, p_expires_at timestamp with time zone, p_event_at timestamp with time zone) RETURNS void
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  insert into public.entitlements as e (user_id, entitlement, source, expires_at, event_at)
  select p_user, x.value, 'revenuecat', p_expires_at, p_event_at
  from jsonb_array_elements_text(coalesce(p_entitlements, '[]')) as x(value)
  on conflict (user_id, entitlement) do update
  set expires_at = excluded.expires_at, event_at = excluded.event_at, source = 'revenuecat'
  where e.event_at is null or e.event_at < excluded.event_at
$$;

-- COMMENT: FUNCTION rc_set_access(p_user uuid, p_entitlements jsonb, p_expires_at timestamp with time zone, p_event_at timestamp with time zone)
COMMENT ON FUNCTION private.rc_set_access(p_user uuid, p_entitlements jsonb, p_expires_at timestamp with time zone, p_event_at timestamp with time zone) IS 'Give the user these entitlements until p_expires_at (NULL: lifetime), unless a newer event already decided.';

-- ACL: FUNCTION rc_set_access(p_user uuid, p_entitlements jsonb, p_expires_at timestamp with time zone, p_event_at timestamp with time zone)
REVOKE ALL ON FUNCTION private.rc_set_access(p_user uuid, p_entitlements jsonb, p_expires_at timestamp with time zone, p_event_at timestamp with time zone) FROM PUBLIC;
