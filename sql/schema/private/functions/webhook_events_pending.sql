-- FUNCTION: webhook_events_pending(integer)
CREATE FUNCTION private.webhook_events_pending(p_limit integer DEFAULT 100) RETURNS TABLE(provider text, event_id text, event_type text, attempts integer, next_attempt_at timestamp with time zone, last_error text)
    LANGUAGE sql STABLE STRICT
    SET search_path TO ''
    AS $$
  select e.provider, e.event_id, e.event_type, e.attempts, e.next_attempt_at, coalesce(e.last_error, '')
  from private.webhook_events as e
  where e.handled_at is null
  order by e.provider_created_at
  limit p_limit
$$;

-- COMMENT: FUNCTION webhook_events_pending(p_limit integer)
COMMENT ON FUNCTION private.webhook_events_pending(p_limit integer) IS 'Stored webhook events not handled yet, oldest first (provider order), with the last error (whatssound webhooks pending).';

-- ACL: FUNCTION webhook_events_pending(p_limit integer)
REVOKE ALL ON FUNCTION private.webhook_events_pending(p_limit integer) FROM PUBLIC;
