-- FUNCTION: push_receipts_due(integer)
CREATE FUNCTION private.push_receipts_due(p_limit integer) RETURNS TABLE(id bigint, ticket_id text)
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  -- Expo keeps receipts 24 h: older tickets without one are given up.
  with expired as (
    update private.push_messages as m set receipt_status = 'expired', receipt_checked_at = now()
    where m.status = 'sent' and m.receipt_checked_at is null and m.sent_at < now() - interval '23 hours'
  )
  select m.id, m.ticket_id from private.push_messages as m
  where m.status = 'sent' and m.receipt_checked_at is null and m.sent_at <= now() - interval '15 minutes'
    and m.sent_at >= now() - interval '23 hours'
  order by m.sent_at
  limit p_limit
$$;

-- COMMENT: FUNCTION push_receipts_due(p_limit integer)
COMMENT ON FUNCTION private.push_receipts_due(p_limit integer) IS 'Tickets due for their receipt (sent 15 min to 23 h ago).';

-- ACL: FUNCTION push_receipts_due(p_limit integer)
REVOKE ALL ON FUNCTION private.push_receipts_due(p_limit integer) FROM PUBLIC;
