/*
 * payments-expire-unpaid-tips: tips recorded but never given a PaymentIntent (the app gave up, or
 * Stripe failed and the app started a new attempt) are closed after a day, so the tipper's list
 * does not keep phantom pending tips. A tip with a PaymentIntent is left to Stripe's events: its
 * payment may still succeed, and a success always wins.
 */

insert into private.settings (key, value, description) values
  ('tip_unpaid_expiry_hours', '24', 'A pending tip without a PaymentIntent is failed (abandoned) after this long.');

create function private.expire_unpaid_tips() returns integer
language plpgsql volatile
set search_path = ''
as $$
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
comment on function private.expire_unpaid_tips() is
  'Fail (failure_code abandoned) pending tips that never got a PaymentIntent within tip_unpaid_expiry_hours; '
  'returns how many.';
