-- FUNCTION: media_progress(uuid, text, text, integer)
CREATE FUNCTION private.media_progress(p_object_id uuid, p_version text, p_stage text, p_progress integer) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_asset public.audio_assets;
begin
  update public.audio_assets as a set stage = p_stage, progress = least(greatest(p_progress, 0), 100)
  where a.object_id = p_object_id and a.object_version is not distinct from p_version and a.status = 'processing'
    and (a.stage, a.progress) is distinct from (p_stage, least(greatest(p_progress, 0), 100)::smallint)
  returning a.* into v_asset;
  if found then
    perform private.media_event(v_asset, 'media.progress');
  end if;
  return found;
end
$$;

-- COMMENT: FUNCTION media_progress(p_object_id uuid, p_version text, p_stage text, p_progress integer)
COMMENT ON FUNCTION private.media_progress(p_object_id uuid, p_version text, p_stage text, p_progress integer) IS 'Record and announce a processing stage and percent (no event when nothing changed).';

-- ACL: FUNCTION media_progress(p_object_id uuid, p_version text, p_stage text, p_progress integer)
REVOKE ALL ON FUNCTION private.media_progress(p_object_id uuid, p_version text, p_stage text, p_progress integer) FROM PUBLIC;
