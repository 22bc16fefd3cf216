-- FUNCTION: rt_capacity(double precision)
CREATE FUNCTION private.rt_capacity(p_quota double precision) RETURNS double precision
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  return greatest(1, least((hidden.setting('realtime_burst'))::double precision, p_quota / 6));
end
$$;

-- COMMENT: FUNCTION rt_capacity(p_quota double precision)
COMMENT ON FUNCTION private.rt_capacity(p_quota double precision) IS 'Token bucket size for a room allowed p_quota broadcasts per 60 s: a burst of 10 s worth of quota, at most C, at least 1.';

-- ACL: FUNCTION rt_capacity(p_quota double precision)
REVOKE ALL ON FUNCTION private.rt_capacity(p_quota double precision) FROM PUBLIC;
