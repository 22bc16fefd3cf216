-- FUNCTION: tip_for(text, jsonb)
CREATE FUNCTION private.tip_for(p_payment_intent_id text, p_metadata jsonb) RETURNS public.tips
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $_$
  select t.* from public.tips as t
  where t.payment_intent_id = p_payment_intent_id
    or (p_metadata ->> 'tip_id' ~ '^[0-9a-f-]{36}$' and t.id = (p_metadata ->> 'tip_id')::uuid)
  limit 1
$_$;

-- COMMENT: FUNCTION tip_for(p_payment_intent_id text, p_metadata jsonb)
COMMENT ON FUNCTION private.tip_for(p_payment_intent_id text, p_metadata jsonb) IS 'The tip a Stripe object is about (by PaymentIntent id, or metadata.tip_id).';

-- ACL: FUNCTION tip_for(p_payment_intent_id text, p_metadata jsonb)
REVOKE ALL ON FUNCTION private.tip_for(p_payment_intent_id text, p_metadata jsonb) FROM PUBLIC;
