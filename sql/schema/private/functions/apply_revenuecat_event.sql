-- FUNCTION: apply_revenuecat_event(jsonb, boolean)
CREATE FUNCTION private.apply_revenuecat_event(p_event jsonb, p_livemode boolean) RETURNS text
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_type text := p_event ->> 'type';
  v_at timestamptz := to_timestamp((p_event ->> 'event_timestamp_ms')::double precision / 1000);
  v_expires timestamptz := to_timestamp((p_event ->> 'expiration_at_ms')::double precision / 1000);
  v_user uuid;
  v_moved record;
begin
  if not p_livemode and not (hidden.setting('revenuecat_accept_sandbox'))::boolean then
    return 'sandbox: ignored';
  end if;
  if v_type = 'TRANSFER' then
    for v_moved in
      select e.*, private.rc_user(jsonb_build_object('app_user_id', t.value)) as new_user
      from public.entitlements as e
      cross join jsonb_array_elements_text(coalesce(p_event -> 'transferred_to', '[]')) as t(value)
      where e.source = 'revenuecat' and e.user_id in (
        select private.rc_user(jsonb_build_object('app_user_id', f.value))
        from jsonb_array_elements_text(coalesce(p_event -> 'transferred_from', '[]')) as f(value)
      ) and (e.event_at is null or e.event_at < v_at)
    loop
      continue when v_moved.new_user is null;
      delete from public.entitlements as e where e.user_id = v_moved.user_id and e.entitlement = v_moved.entitlement;
      perform private.rc_set_access(v_moved.new_user, jsonb_build_array(v_moved.entitlement), v_moved.expires_at, v_at);
    end loop;
    return 'transferred';
  end if;
  v_user := private.rc_user(p_event);
  if v_user is null then
    return 'no such user: ignored';
  end if;
  case
    when v_type in ('INITIAL_PURCHASE', 'RENEWAL', 'UNCANCELLATION', 'NON_RENEWING_PURCHASE', 'PRODUCT_CHANGE',
      'SUBSCRIPTION_EXTENDED', 'TEMPORARY_ENTITLEMENT_GRANT', 'REFUND_REVERSED') then
      perform private.rc_set_access(v_user, p_event -> 'entitlement_ids', v_expires, v_at);
    when v_type = 'BILLING_ISSUE' then
      perform private.rc_set_access(v_user, p_event -> 'entitlement_ids', greatest(v_expires,
        to_timestamp((p_event ->> 'grace_period_expiration_at_ms')::double precision / 1000)), v_at);
    when v_type = 'EXPIRATION' then
      perform private.rc_set_access(v_user, p_event -> 'entitlement_ids', least(coalesce(v_expires, v_at), v_at), v_at);
    else
      return 'no effect';  -- CANCELLATION, SUBSCRIPTION_PAUSED (access runs to expiration), TEST, unknown
  end case;
  return 'applied';
end
$$;

-- COMMENT: FUNCTION apply_revenuecat_event(p_event jsonb, p_livemode boolean)
COMMENT ON FUNCTION private.apply_revenuecat_event(p_event jsonb, p_livemode boolean) IS 'Apply one RevenueCat event to entitlements (see the migration''s header); returns what it did.';

-- ACL: FUNCTION apply_revenuecat_event(p_event jsonb, p_livemode boolean)
REVOKE ALL ON FUNCTION private.apply_revenuecat_event(p_event jsonb, p_livemode boolean) FROM PUBLIC;
