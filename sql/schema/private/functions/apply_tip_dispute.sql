-- FUNCTION: apply_tip_dispute(public.tips, jsonb, text, boolean, timestamp with time zone)
CREATE FUNCTION private.apply_tip_dispute(p_tip public.tips, p_dispute jsonb, p_event_id text, p_closed boolean, p_at timestamp with time zone) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_amount bigint := (p_dispute ->> 'amount')::bigint;
  v_dj text := 'dj:' || coalesce(p_tip.dj_id, '00000000-0000-0000-0000-000000000000');
  v_held text := 'dj_held:' || coalesce(p_tip.dj_id, '00000000-0000-0000-0000-000000000000');
  v_key text := 'dispute:' || (p_dispute ->> 'id');
  v_status text := p_dispute ->> 'status';
  v_part bigint;
  v_forward boolean;
begin
  -- Opening (once, whichever event comes first): hold the DJ's part; the fee share is cumulative.
  v_part := v_amount - private.tip_fee_share(p_tip, p_tip.amount_refunded + p_tip.amount_lost + v_amount);
  perform private.post(p_tip, v_key || ':opened', p_event_id, jsonb_build_array(
    jsonb_build_object('account', v_dj, 'amount', -v_part),
    jsonb_build_object('account', v_held, 'amount', v_part)
  ));
  -- What the opening held (it may have been posted by an earlier event).
  select coalesce(sum(e.amount), 0) into v_part from private.ledger_entries as e
  where e.tip_id = p_tip.id and e.movement = v_key || ':opened' and e.account = v_held;
  -- Forward only: later in the machine, or the same step and newer; a closed status is final.
  v_forward := p_tip.dispute_status is null or (
    private.dispute_rank(p_tip.dispute_status) < 5
    and (private.dispute_rank(v_status), p_at)
    > (private.dispute_rank(p_tip.dispute_status), coalesce(p_tip.dispute_event_at, '-infinity'))
  );
  if v_forward then
    update public.tips as t set dispute_status = v_status, dispute_event_at = p_at where t.id = p_tip.id;
  end if;
  if not (p_closed and private.dispute_rank(v_status) = 5 and (v_forward or p_tip.dispute_status = v_status)) then
    return;
  elsif v_status = 'lost' then
    if private.post(p_tip, v_key || ':lost', p_event_id, jsonb_build_array(
      jsonb_build_object('account', v_held, 'amount', -v_part),
      jsonb_build_object('account', 'platform_fees', 'amount', -(v_amount - v_part)),
      jsonb_build_object('account', 'stripe', 'amount', v_amount)
    )) then
      update public.tips as t set amount_lost = t.amount_lost + v_amount where t.id = p_tip.id;
    end if;
  else
    perform private.post(p_tip, v_key || ':' || v_status, p_event_id, jsonb_build_array(
      jsonb_build_object('account', v_held, 'amount', -v_part),
      jsonb_build_object('account', v_dj, 'amount', v_part)
    ));
  end if;
end
$$;

-- COMMENT: FUNCTION apply_tip_dispute(p_tip public.tips, p_dispute jsonb, p_event_id text, p_closed boolean, p_at timestamp with time zone)
COMMENT ON FUNCTION private.apply_tip_dispute(p_tip public.tips, p_dispute jsonb, p_event_id text, p_closed boolean, p_at timestamp with time zone) IS 'A dispute event on a succeeded tip: hold the DJ''s share when first seen; move dispute_status forward only (private.dispute_rank, then event time; closed is final); on the close, charge it back (lost) or release it.';

-- ACL: FUNCTION apply_tip_dispute(p_tip public.tips, p_dispute jsonb, p_event_id text, p_closed boolean, p_at timestamp with time zone)
REVOKE ALL ON FUNCTION private.apply_tip_dispute(p_tip public.tips, p_dispute jsonb, p_event_id text, p_closed boolean, p_at timestamp with time zone) FROM PUBLIC;
