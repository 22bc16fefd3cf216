-- FUNCTION: cdn_slot(timestamp with time zone)
CREATE FUNCTION private.cdn_slot(p_at timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  return floor(extract(epoch from p_at) * 1000 / (hidden.setting('realtime_cdn_slot_ms'))::integer)::bigint;
end
$$;

-- COMMENT: FUNCTION cdn_slot(p_at timestamp with time zone)
COMMENT ON FUNCTION private.cdn_slot(p_at timestamp with time zone) IS 'The cdn slot p_at falls in: floor(epoch ms / realtime_cdn_slot_ms).';

-- ACL: FUNCTION cdn_slot(p_at timestamp with time zone)
REVOKE ALL ON FUNCTION private.cdn_slot(p_at timestamp with time zone) FROM PUBLIC;
