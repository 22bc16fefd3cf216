-- FUNCTION: cdn_alive()
CREATE FUNCTION private.cdn_alive() RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  insert into private.cdn_lane (id, stored_at) values (true, clock_timestamp())
  on conflict (id) do update set stored_at = excluded.stored_at;
end
$$;

-- COMMENT: FUNCTION cdn_alive()
COMMENT ON FUNCTION private.cdn_alive() IS 'The publisher stored every file of its round (or its probe, with no cdn room): the lane stays on for realtime_cdn_publisher_timeout_ms.';

-- ACL: FUNCTION cdn_alive()
REVOKE ALL ON FUNCTION private.cdn_alive() FROM PUBLIC;
