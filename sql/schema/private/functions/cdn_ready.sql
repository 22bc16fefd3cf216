-- FUNCTION: cdn_ready()
CREATE FUNCTION private.cdn_ready() RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  return coalesce((hidden.setting('realtime_cdn_base_url')) #>> '{}', '') <> ''
    and exists (
      select 1 from private.cdn_lane as l
      where l.stored_at > clock_timestamp()
        - make_interval(secs => (hidden.setting('realtime_cdn_publisher_timeout_ms'))::integer / 1000.0)
    );
end
$$;

-- COMMENT: FUNCTION cdn_ready()
COMMENT ON FUNCTION private.cdn_ready() IS 'Whether the cdn lane works: its base URL is set and the publisher has stored every file of a round within realtime_cdn_publisher_timeout_ms.';

-- ACL: FUNCTION cdn_ready()
REVOKE ALL ON FUNCTION private.cdn_ready() FROM PUBLIC;
