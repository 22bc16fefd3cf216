-- FUNCTION: media_backup_done(uuid, text, text, bigint)
CREATE FUNCTION private.media_backup_done(p_object_id uuid, p_version text, p_sha256 text, p_size bigint) RETURNS boolean
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  with done as (
    update private.media_backups as b
    set state = 'copied', sha256 = p_sha256, size_bytes = p_size, last_error = null, copied_at = now(), updated_at = now()
    where b.object_id = p_object_id and b.object_version is not distinct from p_version
    returning 1
  )
  select exists (select 1 from done)
$$;

-- COMMENT: FUNCTION media_backup_done(p_object_id uuid, p_version text, p_sha256 text, p_size bigint)
COMMENT ON FUNCTION private.media_backup_done(p_object_id uuid, p_version text, p_sha256 text, p_size bigint) IS 'Record a verified copy in R2 (its SHA-256 and size).';

-- ACL: FUNCTION media_backup_done(p_object_id uuid, p_version text, p_sha256 text, p_size bigint)
REVOKE ALL ON FUNCTION private.media_backup_done(p_object_id uuid, p_version text, p_sha256 text, p_size bigint) FROM PUBLIC;
