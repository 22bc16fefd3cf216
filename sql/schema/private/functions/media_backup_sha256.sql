-- FUNCTION: media_backup_sha256(text, text)
CREATE FUNCTION private.media_backup_sha256(p_bucket_id text, p_name text) RETURNS text
    LANGUAGE sql STABLE STRICT
    SET search_path TO ''
    AS $$
  select b.sha256 from private.media_backups as b
  where b.bucket_id = p_bucket_id and b.name = p_name and b.state = 'copied'
$$;

-- COMMENT: FUNCTION media_backup_sha256(p_bucket_id text, p_name text)
COMMENT ON FUNCTION private.media_backup_sha256(p_bucket_id text, p_name text) IS 'The SHA-256 recorded when this original was copied to R2; null when no verified copy is recorded (whatssound media restore).';

-- ACL: FUNCTION media_backup_sha256(p_bucket_id text, p_name text)
REVOKE ALL ON FUNCTION private.media_backup_sha256(p_bucket_id text, p_name text) FROM PUBLIC;
