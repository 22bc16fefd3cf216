-- FUNCTION: expire_unpaid_tips()
CREATE FUNCTION private.expire_unpaid_tips() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_count integer;
begin
  update public.tips as t set status = 'failed', failure_code = 'abandoned'
  where t.status = 'pending' and t.payment_intent_id is null
    and t.created_at < now() - make_interval(hours => (hidden.setting('tip_unpaid_expiry_hours'))::integer);
  get diagnostics v_count = row_count;
  return v_count;
end
$$;

-- COMMENT: FUNCTION expire_unpaid_tips()
COMMENT ON FUNCTION private.expire_unpaid_tips() IS 'Fail (failure_code abandoned) pending tips that never got a PaymentIntent within tip_unpaid_expiry_hours; returns how many.';

-- ACL: FUNCTION expire_unpaid_tips()
REVOKE ALL ON FUNCTION private.expire_unpaid_tips() FROM PUBLIC;
