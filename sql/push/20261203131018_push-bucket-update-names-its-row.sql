/*
 * push-bucket-update-names-its-row: every UPDATE and DELETE says which rows it means.
 *
 * Supabase preloads safeupdate for the API's sessions (authenticator), which refuses an UPDATE or
 * DELETE without a WHERE clause, in functions too; tests/db/test_safeupdate.py holds every
 * function to that rule, wherever it runs. push_take (the service's, as 20261128020200) updated
 * its single-row bucket without one; it now names the row.
 */

create or replace function private.push_take(p_wanted integer) returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_rate double precision := (select (s.value)::double precision from private.settings as s where s.key = 'push_rate_per_second');
  v_burst double precision := (select (s.value)::double precision from private.settings as s where s.key = 'push_burst');
  v_bucket private.push_rate;
  v_tokens double precision;
  v_granted integer;
begin
  select * into v_bucket from private.push_rate as r where r.id for update;
  v_tokens := least(v_burst, v_bucket.tokens + greatest(extract(epoch from clock_timestamp() - v_bucket.refilled_at), 0) * v_rate);
  -- A negative p_wanted gives back tokens taken but not used.
  v_granted := case when p_wanted < 0 then p_wanted else least(p_wanted, floor(v_tokens)::integer) end;
  update private.push_rate as r set tokens = v_tokens - v_granted, refilled_at = clock_timestamp() where r.id;
  return v_granted;
end
$$;
