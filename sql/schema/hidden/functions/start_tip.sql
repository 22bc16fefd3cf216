-- FUNCTION: start_tip(uuid, integer, text, uuid, text, uuid)
CREATE FUNCTION hidden.start_tip(p_session_id uuid, p_amount integer, p_currency text, p_request_id uuid, p_message text, p_boost_item_id uuid) RETURNS public.tips
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := hidden.require_user();
  v_tip public.tips;
begin
  if p_request_id is null then
    raise exception 'A request id is required.' using errcode = '22023', hint = 'Send a new UUID per tip attempt.';
  end if;
  for attempt in 1..2 loop
    select * into v_tip from public.tips as t where t.tipper_id = v_uid and t.client_request_id = p_request_id;
    if v_tip.id is not null then
      if (v_tip.session_id, v_tip.amount, v_tip.currency, v_tip.message, v_tip.boost_item_id)
        is distinct from (p_session_id, p_amount, lower(p_currency), nullif(btrim(p_message), ''), p_boost_item_id) then
        raise sqlstate 'PGRST' using
          message = hidden.api_error(
            'IDMIS',
            'This request id was used for a different tip.',
            'Use a new request id for a new tip; reuse it only to retry the same one.'
          ),
          detail = hidden.api_response('IDMIS');
      end if;
      return v_tip;  -- a retry: the same tip
    end if;
    insert into public.tips (session_id, amount, currency, message, boost_item_id, client_request_id)
    values (p_session_id, p_amount, p_currency, p_message, p_boost_item_id, p_request_id)
    on conflict (tipper_id, client_request_id) do nothing
    returning * into v_tip;
    if v_tip.id is not null then
      return v_tip;
    end if;  -- a concurrent retry won: read its tip
  end loop;
  raise sqlstate 'PGRST' using
    message = hidden.api_error('STATE', 'Could not record the tip.', 'Retry with the same request id.'),
    detail = hidden.api_response('STATE');
exception
  when check_violation then
    raise exception 'Invalid tip: %.', sqlerrm using errcode = '22023', hint = 'A message is at most 200 characters.';
end
$$;

-- COMMENT: FUNCTION start_tip(p_session_id uuid, p_amount integer, p_currency text, p_request_id uuid, p_message text, p_boost_item_id uuid)
COMMENT ON FUNCTION hidden.start_tip(p_session_id uuid, p_amount integer, p_currency text, p_request_id uuid, p_message text, p_boost_item_id uuid) IS 'Record a pending tip as the caller (RLS and the tips trigger apply); the same request id returns the same tip. Called by the create-tip edge function (not exposed through the API: a tip without a PaymentIntent is never paid). Errors: LOGIN; ANONY; P0002; NLIVE; SELFX; BANND; BLOCK; NOTIN; DJACC; CURRX; AMTRG; STATE; RATEL; IDMIS; 22023.';

-- ACL: FUNCTION start_tip(p_session_id uuid, p_amount integer, p_currency text, p_request_id uuid, p_message text, p_boost_item_id uuid)
REVOKE ALL ON FUNCTION hidden.start_tip(p_session_id uuid, p_amount integer, p_currency text, p_request_id uuid, p_message text, p_boost_item_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.start_tip(p_session_id uuid, p_amount integer, p_currency text, p_request_id uuid, p_message text, p_boost_item_id uuid) TO authenticated;
