-- FUNCTION: push_results(jsonb)
CREATE FUNCTION private.push_results(p_results jsonb) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_count integer;
begin
  -- Changed: an `unknown` message (its answer came after the sweep gave up waiting) is recorded too.
  update private.push_messages as m
  set status = case r.outcome when 'sent' then 'sent' when 'retry' then 'queued' else 'failed' end::private.push_status,
    ticket_id = r.ticket_id, error = r.error,
    sent_at = case when r.outcome = 'sent' then now() end,
    not_before = case when r.outcome = 'retry' then now() + make_interval(secs => coalesce(r.retry_in_s, 30)) else m.not_before end
  from jsonb_to_recordset(p_results) as r (id bigint, outcome text, ticket_id text, error text, retry_in_s double precision)
  where m.id = r.id and m.status in ('sending', 'unknown');
  get diagnostics v_count = row_count;
  perform private.push_deactivate(array(
    select m.device_id from private.push_messages as m
    join jsonb_to_recordset(p_results) as r (id bigint, error text) on r.id = m.id
    where r.error = 'DeviceNotRegistered'
  ));
  return v_count;
end
$$;

-- COMMENT: FUNCTION push_results(p_results jsonb)
COMMENT ON FUNCTION private.push_results(p_results jsonb) IS 'Record Expo''s answers: [{id, outcome: sent|retry|failed, ticket_id, error, retry_in_s}] for messages sending (or unknown: the answer came late); DeviceNotRegistered deactivates the device. Returns the messages updated.';

-- ACL: FUNCTION push_results(p_results jsonb)
REVOKE ALL ON FUNCTION private.push_results(p_results jsonb) FROM PUBLIC;
