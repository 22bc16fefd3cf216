-- FUNCTION: webhook_events_recent(text, integer)
CREATE FUNCTION private.webhook_events_recent(p_provider text, p_limit integer) RETURNS TABLE(provider text, event_id text, event_type text, received_at timestamp with time zone, deliveries integer, handled boolean, attempts integer, last_error text)
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select
    e.provider, e.event_id, e.event_type, e.received_at, e.deliveries, e.handled_at is not null,
    e.attempts, e.last_error
  from private.webhook_events as e
  where p_provider is null or e.provider = p_provider
  order by e.received_at desc
  limit p_limit
$$;

-- COMMENT: FUNCTION webhook_events_recent(p_provider text, p_limit integer)
COMMENT ON FUNCTION private.webhook_events_recent(p_provider text, p_limit integer) IS 'Stored webhook events newest first, of one provider or (null) all (whatssound webhooks list).';

-- ACL: FUNCTION webhook_events_recent(p_provider text, p_limit integer)
REVOKE ALL ON FUNCTION private.webhook_events_recent(p_provider text, p_limit integer) FROM PUBLIC;
