-- FUNCTION: media_backup_failed(uuid, text, text, boolean)
CREATE FUNCTION private.media_backup_failed(p_object_id uuid, p_version text, p_error text, p_final boolean) RETURNS void
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  update private.media_backups as b
  set last_error = left(p_error, 1000), state = case when p_final then 'failed' else b.state end, updated_at = now()
  where b.object_id = p_object_id and b.object_version is not distinct from p_version and b.state <> 'copied'
$$;

-- COMMENT: FUNCTION media_backup_failed(p_object_id uuid, p_version text, p_error text, p_final boolean)
COMMENT ON FUNCTION private.media_backup_failed(p_object_id uuid, p_version text, p_error text, p_final boolean) IS 'Record a failed copy attempt; the last one (p_final) marks the backup failed for operators.';

-- ACL: FUNCTION media_backup_failed(p_object_id uuid, p_version text, p_error text, p_final boolean)
REVOKE ALL ON FUNCTION private.media_backup_failed(p_object_id uuid, p_version text, p_error text, p_final boolean) FROM PUBLIC;
