-- FUNCTION: media_event(public.audio_assets, text)
CREATE FUNCTION private.media_event(p_asset public.audio_assets, p_event text) RETURNS void
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  select private.rt_user_event(p_asset.dj_id, p_event, case p_event
    when 'media.progress' then jsonb_build_object(
      'asset_id', p_asset.object_id, 'path', p_asset.path, 'status', p_asset.status,
      'stage', p_asset.stage, 'progress', p_asset.progress)
    when 'media.ready' then jsonb_build_object(
      'asset_id', p_asset.object_id, 'path', p_asset.path, 'duration_s', p_asset.duration_s,
      'loudness_lufs', p_asset.loudness_lufs, 'true_peak_dbtp', p_asset.true_peak_dbtp,
      'stream_path', p_asset.stream_path, 'stream_bitrate', p_asset.stream_bitrate)
    when 'media.failed' then jsonb_build_object(
      'asset_id', p_asset.object_id, 'path', p_asset.path, 'code', p_asset.failure_code,
      'message', p_asset.failure_message)
  end)
$$;

-- COMMENT: FUNCTION media_event(p_asset public.audio_assets, p_event text)
COMMENT ON FUNCTION private.media_event(p_asset public.audio_assets, p_event text) IS 'Tell the uploader (user:<dj id>) about their asset: media.progress, media.ready or media.failed.';

-- ACL: FUNCTION media_event(p_asset public.audio_assets, p_event text)
REVOKE ALL ON FUNCTION private.media_event(p_asset public.audio_assets, p_event text) FROM PUBLIC;
