-- FUNCTION: revenuecat_entitlements(uuid)
CREATE FUNCTION private.revenuecat_entitlements(p_user_id uuid) RETURNS TABLE(entitlement text, expires_at timestamp with time zone)
    LANGUAGE sql STABLE STRICT
    SET search_path TO ''
    AS $$
  select e.entitlement, e.expires_at from public.entitlements as e
  where e.user_id = p_user_id and e.source = 'revenuecat'
  order by e.entitlement
$$;

-- COMMENT: FUNCTION revenuecat_entitlements(p_user_id uuid)
COMMENT ON FUNCTION private.revenuecat_entitlements(p_user_id uuid) IS 'A user''s entitlements from RevenueCat (expires_at null: lifetime) (whatssound reconcile revenuecat).';

-- ACL: FUNCTION revenuecat_entitlements(p_user_id uuid)
REVOKE ALL ON FUNCTION private.revenuecat_entitlements(p_user_id uuid) FROM PUBLIC;
