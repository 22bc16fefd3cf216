-- FUNCTION: push_take(integer)
CREATE FUNCTION private.push_take(p_wanted integer) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
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

-- COMMENT: FUNCTION push_take(p_wanted integer)
COMMENT ON FUNCTION private.push_take(p_wanted integer) IS 'Take up to p_wanted send tokens from the project-wide bucket (push_rate_per_second, push_burst); returns how many. A negative p_wanted returns unused tokens.';

-- ACL: FUNCTION push_take(p_wanted integer)
REVOKE ALL ON FUNCTION private.push_take(p_wanted integer) FROM PUBLIC;
