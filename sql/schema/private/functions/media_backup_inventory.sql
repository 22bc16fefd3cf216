-- FUNCTION: media_backup_inventory()
CREATE FUNCTION private.media_backup_inventory() RETURNS TABLE(bucket_id text, name text, state text, sha256 text, size_bytes bigint)
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select o.bucket_id, o.name, b.state, b.sha256, b.size_bytes
  from storage.objects as o
  left join private.media_backups as b on o.id = b.object_id
  where o.bucket_id in ('avatars', 'covers', 'audio')
  union all
  select b.bucket_id, b.name, 'deleted', b.sha256, b.size_bytes
  from private.media_backups as b
  where not exists (select 1 from storage.objects as o where o.id = b.object_id)
$$;

-- COMMENT: FUNCTION media_backup_inventory()
COMMENT ON FUNCTION private.media_backup_inventory() IS 'Every original with its recorded R2 copy (state null: never tracked), plus copies whose original was deleted (state ''deleted'') (whatssound media verify).';

-- ACL: FUNCTION media_backup_inventory()
REVOKE ALL ON FUNCTION private.media_backup_inventory() FROM PUBLIC;
