-- FUNCTION: rt_refill(double precision)
CREATE FUNCTION private.rt_refill(p_quota double precision) RETURNS double precision
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $$
  select p_quota / 60
$$;

-- COMMENT: FUNCTION rt_refill(p_quota double precision)
COMMENT ON FUNCTION private.rt_refill(p_quota double precision) IS 'Token refill per second for a room allowed p_quota broadcasts a minute: the quota itself (the burst is on top).';

-- ACL: FUNCTION rt_refill(p_quota double precision)
REVOKE ALL ON FUNCTION private.rt_refill(p_quota double precision) FROM PUBLIC;
