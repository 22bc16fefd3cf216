-- FUNCTION: cdn_expired(integer)
CREATE FUNCTION private.cdn_expired(p_limit integer) RETURNS TABLE(topic text, slot bigint, bucket text, object_key text)
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  return query
  select f.topic, f.slot, (hidden.setting('realtime_cdn_bucket')) #>> '{}',
    substr(f.topic, length('session:') + 1) || '/' || f.slot || '.json'
  from private.cdn_frames as f
  where f.cut_at < clock_timestamp() - make_interval(mins => (hidden.setting('realtime_cdn_keep_minutes'))::integer)
  order by f.cut_at
  limit p_limit;
end
$$;

-- COMMENT: FUNCTION cdn_expired(p_limit integer)
COMMENT ON FUNCTION private.cdn_expired(p_limit integer) IS 'Up to p_limit frame files older than realtime_cdn_keep_minutes, oldest first: the publisher deletes them, then calls cdn_forget.';

-- ACL: FUNCTION cdn_expired(p_limit integer)
REVOKE ALL ON FUNCTION private.cdn_expired(p_limit integer) FROM PUBLIC;
