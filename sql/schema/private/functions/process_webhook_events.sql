-- FUNCTION: process_webhook_events(integer)
CREATE FUNCTION private.process_webhook_events(p_limit integer DEFAULT 100) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_row private.webhook_events;
  v_done integer := 0;
  v_outcome text;
begin
  for v_row in
    select w.* from private.webhook_events as w
    where w.handled_at is null and w.next_attempt_at <= now()
    order by w.provider_created_at, w.id
    limit p_limit
    for update skip locked
  loop
    begin
      v_outcome := private.apply_webhook_event(v_row);
      update private.webhook_events as w
      set handled_at = now(), attempts = w.attempts + 1, last_error = null
      where w.id = v_row.id;
      v_done := v_done + 1;
    exception when others then
      v_outcome := sqlerrm;
      update private.webhook_events as w
      set attempts = w.attempts + 1, last_error = left(v_outcome, 500),
        next_attempt_at = now() + least(interval '1 hour', interval '5 seconds' * power(2, w.attempts))
      where w.id = v_row.id;
    end;
  end loop;
  return v_done;
end
$$;

-- COMMENT: FUNCTION process_webhook_events(p_limit integer)
COMMENT ON FUNCTION private.process_webhook_events(p_limit integer) IS 'Scheduled (the service, every few seconds): apply unhandled events in provider order (apply_webhook_event); a failure, or an event that must wait (WRTRY), is recorded and retried with backoff. Returns how many were handled.';

-- ACL: FUNCTION process_webhook_events(p_limit integer)
REVOKE ALL ON FUNCTION private.process_webhook_events(p_limit integer) FROM PUBLIC;
