-- FUNCTION: user_push_deliveries(uuid, integer)
CREATE FUNCTION private.user_push_deliveries(p_user_id uuid, p_limit integer) RETURNS TABLE(created_at timestamp with time zone, kind text, title text, device text, status text, attempts integer, error text, receipt text)
    LANGUAGE sql STABLE STRICT
    SET search_path TO ''
    AS $$
  select
    m.created_at, m.kind::text, m.title, right(d.token, 12), m.status::text, m.attempts, m.error,
    m.receipt_status
  from private.push_messages as m
  inner join public.push_devices as d on m.device_id = d.id
  where d.user_id = p_user_id
  order by m.id desc
  limit p_limit
$$;

-- COMMENT: FUNCTION user_push_deliveries(p_user_id uuid, p_limit integer)
COMMENT ON FUNCTION private.user_push_deliveries(p_user_id uuid, p_limit integer) IS 'A user''s p_limit latest pushes, newest first: kind, title, the device (its token''s last 12 characters), status, attempts, Expo''s error and receipt (whatssound push deliveries).';

-- ACL: FUNCTION user_push_deliveries(p_user_id uuid, p_limit integer)
REVOKE ALL ON FUNCTION private.user_push_deliveries(p_user_id uuid, p_limit integer) FROM PUBLIC;
