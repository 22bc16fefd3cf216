-- FUNCTION: tg_moderation_log__append_only()
CREATE FUNCTION private.tg_moderation_log__append_only() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  raise exception 'The moderation log is append-only.'
    using errcode = 'NOEDT', hint = 'Record a correcting action instead of editing history.';
end
$$;

-- COMMENT: FUNCTION tg_moderation_log__append_only()
COMMENT ON FUNCTION private.tg_moderation_log__append_only() IS 'Refuses any UPDATE, DELETE or TRUNCATE of the moderation log.';

-- ACL: FUNCTION tg_moderation_log__append_only()
REVOKE ALL ON FUNCTION private.tg_moderation_log__append_only() FROM PUBLIC;
