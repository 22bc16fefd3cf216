-- FUNCTION: rt_now()
CREATE FUNCTION private.rt_now() RETURNS timestamp with time zone
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  -- Tests and simulations set whatssound.fake_now to run minutes of traffic deterministically.
  return coalesce(nullif(current_setting('whatssound.fake_now', true), '')::timestamptz, clock_timestamp());
end
$$;

-- COMMENT: FUNCTION rt_now()
COMMENT ON FUNCTION private.rt_now() IS 'The realtime budget''s clock: wall time, or whatssound.fake_now when a simulation sets it.';

-- ACL: FUNCTION rt_now()
REVOKE ALL ON FUNCTION private.rt_now() FROM PUBLIC;
