-- FUNCTION: record_webhook_event(text, text, text, boolean, text, timestamp with time zone, jsonb)
CREATE FUNCTION private.record_webhook_event(p_provider text, p_event_id text, p_event_type text, p_livemode boolean, p_account text, p_created_at timestamp with time zone, p_payload jsonb) RETURNS boolean
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  -- One statement: concurrent duplicates serialise on the unique index, never both insert.
  insert into private.webhook_events as e
    (provider, event_id, event_type, livemode, account, provider_created_at, payload)
  values (p_provider, p_event_id, p_event_type, p_livemode, p_account, p_created_at, p_payload)
  on conflict (provider, event_id) do update
  set deliveries = e.deliveries + 1, last_delivery_at = now()
  returning e.deliveries = 1
$$;

-- COMMENT: FUNCTION record_webhook_event(p_provider text, p_event_id text, p_event_type text, p_livemode boolean, p_account text, p_created_at timestamp with time zone, p_payload jsonb)
COMMENT ON FUNCTION private.record_webhook_event(p_provider text, p_event_id text, p_event_type text, p_livemode boolean, p_account text, p_created_at timestamp with time zone, p_payload jsonb) IS 'Store a verified webhook event; true if it is new, false for a duplicate delivery (counted, nothing else changes).';

-- ACL: FUNCTION record_webhook_event(p_provider text, p_event_id text, p_event_type text, p_livemode boolean, p_account text, p_created_at timestamp with time zone, p_payload jsonb)
REVOKE ALL ON FUNCTION private.record_webhook_event(p_provider text, p_event_id text, p_event_type text, p_livemode boolean, p_account text, p_created_at timestamp with time zone, p_payload jsonb) FROM PUBLIC;
