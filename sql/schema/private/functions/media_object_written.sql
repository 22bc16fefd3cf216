-- FUNCTION: media_object_written()
CREATE FUNCTION private.media_object_written() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_dj uuid;
begin
  insert into private.media_backups as b (object_id, bucket_id, name, object_version)
  values (NEW.id, NEW.bucket_id, NEW.name, NEW.version)
  on conflict (bucket_id, name) do update
  set object_id = excluded.object_id, object_version = excluded.object_version, state = 'pending',
    sha256 = null, size_bytes = null, attempts = 0, last_error = null, copied_at = null, updated_at = now();
  perform private.enqueue_job('media:backup_object', jsonb_build_object('object_id', NEW.id),
    'media', 'media:backup:' || NEW.id, 'media:backup:' || NEW.id);
  if NEW.bucket_id <> 'audio' then
    return null;
  end if;
  select p.id into v_dj from public.profiles as p where p.id::text = (storage.foldername(NEW.name))[1];
  if v_dj is null then
    return null;  -- not in a DJ's folder (an operator's upload with the service key): backed up, not processed
  end if;
  insert into public.audio_assets as a (object_id, dj_id, path, object_version)
  values (NEW.id, v_dj, NEW.name, NEW.version)
  on conflict (object_id) do update
  set path = excluded.path, object_version = excluded.object_version, status = 'queued', stage = null,
    progress = 0, attempts = 0, failure_code = null, failure_message = null, processed_at = null;
  perform private.enqueue_job('media:process_audio', jsonb_build_object('object_id', NEW.id),
    'media', 'media:process:' || NEW.id, 'media:process:' || NEW.id);
  perform private.rt_user_event(v_dj, 'media.progress', jsonb_build_object(
    'asset_id', NEW.id, 'path', NEW.name, 'status', 'queued', 'stage', null, 'progress', 0));
  return null;
end
$$;

-- COMMENT: FUNCTION media_object_written()
COMMENT ON FUNCTION private.media_object_written() IS 'After an object is written in avatars, covers or audio: queue its R2 backup; for audio in a DJ''s folder also (re)start the asset and queue its processing, and tell the uploader.';

-- ACL: FUNCTION media_object_written()
REVOKE ALL ON FUNCTION private.media_object_written() FROM PUBLIC;
