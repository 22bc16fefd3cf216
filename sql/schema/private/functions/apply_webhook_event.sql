-- FUNCTION: apply_webhook_event(private.webhook_events)
CREATE FUNCTION private.apply_webhook_event(p_row private.webhook_events) RETURNS text
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  if p_row.provider = 'revenuecat' then
    return private.apply_revenuecat_event(p_row.payload, p_row.livemode);
  end if;
  return private.apply_stripe_event(p_row.payload);
end
$$;

-- COMMENT: FUNCTION apply_webhook_event(p_row private.webhook_events)
COMMENT ON FUNCTION private.apply_webhook_event(p_row private.webhook_events) IS 'Apply one stored event with its provider''s processor; returns what it did, raises WRTRY to be retried later.';

-- ACL: FUNCTION apply_webhook_event(p_row private.webhook_events)
REVOKE ALL ON FUNCTION private.apply_webhook_event(p_row private.webhook_events) FROM PUBLIC;
