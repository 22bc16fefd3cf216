-- FUNCTION: media_begin(uuid)
CREATE FUNCTION private.media_begin(p_object_id uuid) RETURNS TABLE(path text, dj_id uuid, object_version text, attempt integer)
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_asset public.audio_assets;
begin
  update public.audio_assets as a
  set status = 'processing', stage = 'downloading', progress = 0, attempts = a.attempts + 1
  where a.object_id = p_object_id and a.status in ('queued', 'processing')
  returning a.* into v_asset;
  if found then
    perform private.media_event(v_asset, 'media.progress');
    return query select v_asset.path, v_asset.dj_id, v_asset.object_version, v_asset.attempts::integer;
  end if;
end
$$;

-- COMMENT: FUNCTION media_begin(p_object_id uuid)
COMMENT ON FUNCTION private.media_begin(p_object_id uuid) IS 'Start (or, after a lost worker, restart) processing the current version of an audio object; the steps after name the version returned. No row: nothing to do (deleted, or already finished).';

-- ACL: FUNCTION media_begin(p_object_id uuid)
REVOKE ALL ON FUNCTION private.media_begin(p_object_id uuid) FROM PUBLIC;
