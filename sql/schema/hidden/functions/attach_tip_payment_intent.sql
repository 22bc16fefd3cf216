-- FUNCTION: attach_tip_payment_intent(uuid, text)
CREATE FUNCTION hidden.attach_tip_payment_intent(p_tip_id uuid, p_payment_intent_id text) RETURNS public.tips
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tip public.tips;
begin
  update public.tips as t set payment_intent_id = p_payment_intent_id
  where t.id = p_tip_id and (t.payment_intent_id is null or t.payment_intent_id = p_payment_intent_id)
  returning * into v_tip;
  if v_tip.id is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'STATE',
        format('Tip %s has another PaymentIntent.', p_tip_id),
        'A tip has one PaymentIntent: reuse it.'
      ),
      detail = hidden.api_response('STATE');
  end if;
  return v_tip;
end
$$;

-- COMMENT: FUNCTION attach_tip_payment_intent(p_tip_id uuid, p_payment_intent_id text)
COMMENT ON FUNCTION hidden.attach_tip_payment_intent(p_tip_id uuid, p_payment_intent_id text) IS 'Remember the PaymentIntent Stripe created for a tip (idempotent; never replaces another); service_role only.';

-- ACL: FUNCTION attach_tip_payment_intent(p_tip_id uuid, p_payment_intent_id text)
REVOKE ALL ON FUNCTION hidden.attach_tip_payment_intent(p_tip_id uuid, p_payment_intent_id text) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.attach_tip_payment_intent(p_tip_id uuid, p_payment_intent_id text) TO service_role;
