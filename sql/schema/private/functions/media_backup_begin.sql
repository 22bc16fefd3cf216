-- FUNCTION: media_backup_begin(uuid)
CREATE FUNCTION private.media_backup_begin(p_object_id uuid) RETURNS TABLE(bucket_id text, name text, object_version text)
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  update private.media_backups as b set attempts = b.attempts + 1, updated_at = now()
  where b.object_id = p_object_id and b.state <> 'copied'
  returning b.bucket_id, b.name, b.object_version
$$;

-- COMMENT: FUNCTION media_backup_begin(p_object_id uuid)
COMMENT ON FUNCTION private.media_backup_begin(p_object_id uuid) IS 'Start copying the current version of an original to R2; no row when there is nothing to do.';

-- ACL: FUNCTION media_backup_begin(p_object_id uuid)
REVOKE ALL ON FUNCTION private.media_backup_begin(p_object_id uuid) FROM PUBLIC;
