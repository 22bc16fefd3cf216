-- FUNCTION: cdn_delivery(uuid, text)
CREATE FUNCTION private.cdn_delivery(p_session_id uuid, p_mode text) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  if p_mode is distinct from 'cdn' then
    return null;
  end if;
  return jsonb_build_object(
    'url', ((hidden.setting('realtime_cdn_base_url')) #>> '{}') || '/' || p_session_id,
    'slot_ms', (hidden.setting('realtime_cdn_slot_ms'))::integer,
    'lag_ms', (hidden.setting('realtime_cdn_lag_ms'))::integer,
    'slot', private.cdn_slot(clock_timestamp()),
    'server_ms', (extract(epoch from clock_timestamp()) * 1000)::bigint
  );
end
$$;

-- COMMENT: FUNCTION cdn_delivery(p_session_id uuid, p_mode text)
COMMENT ON FUNCTION private.cdn_delivery(p_session_id uuid, p_mode text) IS 'A cdn room''s reading instructions: {url (files are <url>/<slot>.json), slot_ms, lag_ms, slot (the slot in progress: read it and on), server_ms (the server clock, to place slots on the app''s)}; NULL in other modes.';

-- ACL: FUNCTION cdn_delivery(p_session_id uuid, p_mode text)
REVOKE ALL ON FUNCTION private.cdn_delivery(p_session_id uuid, p_mode text) FROM PUBLIC;
