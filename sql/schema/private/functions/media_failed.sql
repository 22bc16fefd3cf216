-- FUNCTION: media_failed(uuid, text, text, text)
CREATE FUNCTION private.media_failed(p_object_id uuid, p_version text, p_code text, p_message text) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_asset public.audio_assets;
begin
  update public.audio_assets as a
  set status = 'failed', stage = null, failure_code = p_code, failure_message = left(p_message, 500), processed_at = now()
  where a.object_id = p_object_id and a.object_version is not distinct from p_version
    and a.status in ('queued', 'processing')
  returning a.* into v_asset;
  if found then
    perform private.media_event(v_asset, 'media.failed');
  end if;
  return found;
end
$$;

-- COMMENT: FUNCTION media_failed(p_object_id uuid, p_version text, p_code text, p_message text)
COMMENT ON FUNCTION private.media_failed(p_object_id uuid, p_version text, p_code text, p_message text) IS 'End processing in a failure the uploader is shown (code and message); false if it had already ended.';

-- ACL: FUNCTION media_failed(p_object_id uuid, p_version text, p_code text, p_message text)
REVOKE ALL ON FUNCTION private.media_failed(p_object_id uuid, p_version text, p_code text, p_message text) FROM PUBLIC;
