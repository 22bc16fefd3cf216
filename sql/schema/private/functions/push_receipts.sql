-- FUNCTION: push_receipts(jsonb)
CREATE FUNCTION private.push_receipts(p_receipts jsonb) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_count integer;
begin
  update private.push_messages as m
  set receipt_status = case when r.status = 'ok' then 'ok' else coalesce(r.error, 'error') end, receipt_checked_at = now()
  from jsonb_to_recordset(p_receipts) as r (ticket_id text, status text, error text)
  where m.ticket_id = r.ticket_id and m.status = 'sent';
  get diagnostics v_count = row_count;
  perform private.push_deactivate(array(
    select m.device_id from private.push_messages as m
    join jsonb_to_recordset(p_receipts) as r (ticket_id text, error text) on r.ticket_id = m.ticket_id
    where r.error = 'DeviceNotRegistered'
  ));
  return v_count;
end
$$;

-- COMMENT: FUNCTION push_receipts(p_receipts jsonb)
COMMENT ON FUNCTION private.push_receipts(p_receipts jsonb) IS 'Record receipts [{ticket_id, status: ok|error, error}]; DeviceNotRegistered deactivates the device.';

-- ACL: FUNCTION push_receipts(p_receipts jsonb)
REVOKE ALL ON FUNCTION private.push_receipts(p_receipts jsonb) FROM PUBLIC;
