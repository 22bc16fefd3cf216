-- FUNCTION: media_ready(uuid, text, jsonb)
CREATE FUNCTION private.media_ready(p_object_id uuid, p_version text, p_result jsonb) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_asset public.audio_assets;
begin
  update public.audio_assets as a
  set status = 'ready', stage = null, progress = 100, processed_at = now(),
    size_bytes = (p_result ->> 'size_bytes')::bigint, original_sha256 = p_result ->> 'original_sha256',
    codec = p_result ->> 'codec', sample_rate = (p_result ->> 'sample_rate')::integer,
    channels = (p_result ->> 'channels')::smallint, duration_s = (p_result ->> 'duration_s')::numeric,
    loudness_lufs = (p_result ->> 'loudness_lufs')::numeric, true_peak_dbtp = (p_result ->> 'true_peak_dbtp')::numeric,
    waveform = array(select jsonb_array_elements_text(p_result -> 'waveform')::real),
    stream_path = p_result ->> 'stream_path', stream_bitrate = (p_result ->> 'stream_bitrate')::integer,
    stream_bytes = (p_result ->> 'stream_bytes')::bigint
  where a.object_id = p_object_id and a.object_version is not distinct from p_version and a.status = 'processing'
  returning a.* into v_asset;
  if found then
    perform private.media_event(v_asset, 'media.ready');
  end if;
  return found;
end
$$;

-- COMMENT: FUNCTION media_ready(p_object_id uuid, p_version text, p_result jsonb)
COMMENT ON FUNCTION private.media_ready(p_object_id uuid, p_version text, p_result jsonb) IS 'Store what processing measured and produced, and make the asset ready (once: false if it already was, or the object changed since).';

-- ACL: FUNCTION media_ready(p_object_id uuid, p_version text, p_result jsonb)
REVOKE ALL ON FUNCTION private.media_ready(p_object_id uuid, p_version text, p_result jsonb) FROM PUBLIC;
