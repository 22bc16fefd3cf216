-- FUNCTION: take_token(uuid, text, integer, double precision)
CREATE FUNCTION hidden.take_token(p_user_id uuid, p_bucket text, p_capacity integer, p_per_second double precision) RETURNS double precision
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_tokens double precision;
begin
  insert into private.rate_buckets as b (user_id, bucket, tokens, refilled_at)
  values (p_user_id, p_bucket, p_capacity - 1, now())
  on conflict (user_id, bucket) do update
    set tokens = least(p_capacity::double precision,
          b.tokens + greatest(extract(epoch from now() - b.refilled_at), 0) * p_per_second) - 1,
      refilled_at = greatest(b.refilled_at, now())
  returning b.tokens into v_tokens;
  -- Negative: over the limit. The caller raises, which rolls the take back.
  return case when v_tokens >= 0 then 0 else ceil(-v_tokens / p_per_second) end;
end
$$;

-- COMMENT: FUNCTION take_token(p_user_id uuid, p_bucket text, p_capacity integer, p_per_second double precision)
COMMENT ON FUNCTION hidden.take_token(p_user_id uuid, p_bucket text, p_capacity integer, p_per_second double precision) IS 'Take one token from the user''s bucket (capacity, refill per second). Returns 0 if granted, else the seconds to wait; the caller must then raise (rolling the take back).';

-- ACL: FUNCTION take_token(p_user_id uuid, p_bucket text, p_capacity integer, p_per_second double precision)
REVOKE ALL ON FUNCTION hidden.take_token(p_user_id uuid, p_bucket text, p_capacity integer, p_per_second double precision) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.take_token(p_user_id uuid, p_bucket text, p_capacity integer, p_per_second double precision) TO authenticated;
GRANT ALL ON FUNCTION hidden.take_token(p_user_id uuid, p_bucket text, p_capacity integer, p_per_second double precision) TO service_role;
