-- FUNCTION: has_entitlement(uuid, text)
CREATE FUNCTION hidden.has_entitlement(p_user_id uuid, p_entitlement text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  return exists (
    select 1 from public.entitlements as e
    where e.user_id = p_user_id and e.entitlement = p_entitlement
      and (e.expires_at is null or e.expires_at > now())
  );
end
$$;

-- COMMENT: FUNCTION has_entitlement(p_user_id uuid, p_entitlement text)
COMMENT ON FUNCTION hidden.has_entitlement(p_user_id uuid, p_entitlement text) IS 'The single entitlement seam: whether the user currently holds the named entitlement.';

-- ACL: FUNCTION has_entitlement(p_user_id uuid, p_entitlement text)
REVOKE ALL ON FUNCTION hidden.has_entitlement(p_user_id uuid, p_entitlement text) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.has_entitlement(p_user_id uuid, p_entitlement text) TO authenticated;
GRANT ALL ON FUNCTION hidden.has_entitlement(p_user_id uuid, p_entitlement text) TO service_role;
