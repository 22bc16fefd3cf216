-- FUNCTION: post(public.tips, text, text, jsonb)
CREATE FUNCTION private.post(p_tip public.tips, p_movement text, p_event_id text, p_lines jsonb) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_written integer;
begin
  if (select sum((l.value ->> 'amount')::bigint) from jsonb_array_elements(p_lines) as l) <> 0 then
    raise exception 'Unbalanced movement % of tip %', p_movement, p_tip.id using errcode = 'LEDGR';
  end if;
  -- Once per (tip, movement, account): a repeated movement writes nothing.
  insert into private.ledger_entries (tip_id, movement, account, amount, currency, event_id)
  select p_tip.id, p_movement, l.value ->> 'account', (l.value ->> 'amount')::bigint, p_tip.currency, p_event_id
  from jsonb_array_elements(p_lines) as l
  where (l.value ->> 'amount')::bigint <> 0
  on conflict (tip_id, movement, account) do nothing;
  get diagnostics v_written = row_count;
  return v_written > 0;
end
$$;

-- COMMENT: FUNCTION post(p_tip public.tips, p_movement text, p_event_id text, p_lines jsonb)
COMMENT ON FUNCTION private.post(p_tip public.tips, p_movement text, p_event_id text, p_lines jsonb) IS 'Write one balanced movement of a tip (a JSON array of {account, amount}); idempotent per movement. Returns whether it was new.';

-- ACL: FUNCTION post(p_tip public.tips, p_movement text, p_event_id text, p_lines jsonb)
REVOKE ALL ON FUNCTION private.post(p_tip public.tips, p_movement text, p_event_id text, p_lines jsonb) FROM PUBLIC;
