-- FUNCTION: rc_sync_entitlements(uuid, jsonb, timestamp with time zone)
CREATE FUNCTION private.rc_sync_entitlements(p_user uuid, p_entitlements jsonb, p_synced_at timestamp with time zone) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_count integer;
begin
  -- p_entitlements: {name: {"expires_at": timestamptz | null}} for every entitlement still granted.
  delete from public.entitlements as e
  where e.user_id = p_user and e.source = 'revenuecat' and not (p_entitlements ? e.entitlement)
    and (e.event_at is null or e.event_at < p_synced_at);
  insert into public.entitlements as e (user_id, entitlement, source, expires_at, event_at)
  select p_user, x.key, 'revenuecat', (x.value ->> 'expires_at')::timestamptz, p_synced_at
  from jsonb_each(p_entitlements) as x
  on conflict (user_id, entitlement) do update
  set expires_at = excluded.expires_at, event_at = excluded.event_at, source = 'revenuecat'
  where e.event_at is null or e.event_at < excluded.event_at;
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

-- COMMENT: FUNCTION rc_sync_entitlements(p_user uuid, p_entitlements jsonb, p_synced_at timestamp with time zone)
COMMENT ON FUNCTION private.rc_sync_entitlements(p_user uuid, p_entitlements jsonb, p_synced_at timestamp with time zone) IS 'Make the user''s RevenueCat entitlements those the subscriber API returned at p_synced_at; returns rows written.';

-- ACL: FUNCTION rc_sync_entitlements(p_user uuid, p_entitlements jsonb, p_synced_at timestamp with time zone)
REVOKE ALL ON FUNCTION private.rc_sync_entitlements(p_user uuid, p_entitlements jsonb, p_synced_at timestamp with time zone) FROM PUBLIC;
