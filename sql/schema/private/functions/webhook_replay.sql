-- FUNCTION: webhook_replay(text)
CREATE FUNCTION private.webhook_replay(p_event_id text) RETURNS TABLE(provider text, event_type text, handled boolean, attempts integer, last_error text)
    LANGUAGE plpgsql STRICT
    SET search_path TO ''
    AS $$
begin
  update private.webhook_events as e set handled_at = null, next_attempt_at = now()
  where e.event_id = p_event_id;
  if not found then
    return;
  end if;
  perform private.process_webhook_events();
  return query
  select e.provider, e.event_type, e.handled_at is not null, e.attempts, e.last_error
  from private.webhook_events as e
  where e.event_id = p_event_id
  order by e.provider;
end
$$;

-- COMMENT: FUNCTION webhook_replay(p_event_id text)
COMMENT ON FUNCTION private.webhook_replay(p_event_id text) IS 'Mark a stored event (every provider''s with this id) unhandled, process the ledger now, and return how each came out; no rows when no such event is stored (whatssound webhooks replay).';

-- ACL: FUNCTION webhook_replay(p_event_id text)
REVOKE ALL ON FUNCTION private.webhook_replay(p_event_id text) FROM PUBLIC;
