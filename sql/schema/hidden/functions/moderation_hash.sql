-- FUNCTION: moderation_hash(public.moderation_log)
CREATE FUNCTION hidden.moderation_hash(p_entry public.moderation_log) RETURNS bytea
    LANGUAGE sql IMMUTABLE
    SET search_path TO ''
    AS $$
  select sha256(convert_to(
    coalesce(encode(p_entry.prev_hash, 'hex'), '') || '|' || jsonb_build_object(
      'chain', p_entry.chain_id, 'seq', p_entry.seq, 'dj', p_entry.dj_id, 'session', p_entry.session_id,
      'actor', p_entry.actor_id, 'action', p_entry.action, 'target_user', p_entry.target_user_id,
      'target_message', p_entry.target_message_id, 'reason', p_entry.reason, 'before', p_entry.before,
      'after', p_entry.after, 'at_us', (extract(epoch from p_entry.created_at) * 1000000)::bigint
    )::text, 'UTF8'))
$$;

-- COMMENT: FUNCTION moderation_hash(p_entry public.moderation_log)
COMMENT ON FUNCTION hidden.moderation_hash(p_entry public.moderation_log) IS 'The hash an entry must carry: SHA-256 of the previous hash and the entry''s canonical JSON (time in microseconds).';

-- ACL: FUNCTION moderation_hash(p_entry public.moderation_log)
REVOKE ALL ON FUNCTION hidden.moderation_hash(p_entry public.moderation_log) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.moderation_hash(p_entry public.moderation_log) TO authenticated;
GRANT ALL ON FUNCTION hidden.moderation_hash(p_entry public.moderation_log) TO service_role;
