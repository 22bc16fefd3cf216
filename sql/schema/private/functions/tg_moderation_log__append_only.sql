-- FUNCTION: tg_moderation_log__append_only()
CREATE FUNCTION private.tg_moderation_log__append_only() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  raise sqlstate 'PGRST' using
    message = hidden.api_error(
      'NOEDT',
      'The moderation log is append-only.',
      'Record a correcting action instead of editing history.'
    ),
    detail = hidden.api_response('NOEDT');
end
$$;

-- COMMENT: FUNCTION tg_moderation_log__append_only()
COMMENT ON FUNCTION private.tg_moderation_log__append_only() IS 'Refuses any UPDATE, DELETE or TRUNCATE of the moderation log.';

-- ACL: FUNCTION tg_moderation_log__append_only()
REVOKE ALL ON FUNCTION private.tg_moderation_log__append_only() FROM PUBLIC;
