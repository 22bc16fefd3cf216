-- FUNCTION: log_moderation(uuid, uuid, public.moderation_action, uuid, uuid, text, jsonb, jsonb)
CREATE FUNCTION private.log_moderation(p_dj_id uuid, p_session_id uuid, p_action public.moderation_action, p_target_user_id uuid, p_target_message_id uuid, p_reason text, p_before jsonb, p_after jsonb) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_entry public.moderation_log;
  v_last public.moderation_log;
begin
  v_entry.chain_id := coalesce(p_dj_id, '00000000-0000-0000-0000-000000000000');
  -- One writer per chain at a time, so seq has no gaps and each entry sees its predecessor.
  perform pg_advisory_xact_lock(hashtextextended('moderation_log:' || v_entry.chain_id, 0));
  select * into v_last from public.moderation_log as l
  where l.chain_id = v_entry.chain_id order by l.seq desc limit 1;
  v_entry.seq := coalesce(v_last.seq, 0) + 1;
  v_entry.prev_hash := v_last.hash;
  v_entry.dj_id := p_dj_id;
  v_entry.session_id := p_session_id;
  v_entry.actor_id := auth.uid();
  v_entry.action := p_action;
  v_entry.target_user_id := p_target_user_id;
  v_entry.target_message_id := p_target_message_id;
  v_entry.reason := coalesce(p_reason, '');
  v_entry.before := p_before;
  v_entry.after := p_after;
  v_entry.created_at := date_trunc('microseconds', clock_timestamp());
  v_entry.hash := hidden.moderation_hash(v_entry);
  insert into public.moderation_log (chain_id, seq, dj_id, session_id, actor_id, action, target_user_id,
    target_message_id, reason, before, after, created_at, prev_hash, hash)
  values (v_entry.chain_id, v_entry.seq, v_entry.dj_id, v_entry.session_id, v_entry.actor_id, v_entry.action,
    v_entry.target_user_id, v_entry.target_message_id, v_entry.reason, v_entry.before, v_entry.after,
    v_entry.created_at, v_entry.prev_hash, v_entry.hash);
end
$$;

-- COMMENT: FUNCTION log_moderation(p_dj_id uuid, p_session_id uuid, p_action public.moderation_action, p_target_user_id uuid, p_target_message_id uuid, p_reason text, p_before jsonb, p_after jsonb)
COMMENT ON FUNCTION private.log_moderation(p_dj_id uuid, p_session_id uuid, p_action public.moderation_action, p_target_user_id uuid, p_target_message_id uuid, p_reason text, p_before jsonb, p_after jsonb) IS 'Append an entry to the DJ''s (or the platform''s) moderation chain, in the caller''s transaction.';

-- ACL: FUNCTION log_moderation(p_dj_id uuid, p_session_id uuid, p_action public.moderation_action, p_target_user_id uuid, p_target_message_id uuid, p_reason text, p_before jsonb, p_after jsonb)
REVOKE ALL ON FUNCTION private.log_moderation(p_dj_id uuid, p_session_id uuid, p_action public.moderation_action, p_target_user_id uuid, p_target_message_id uuid, p_reason text, p_before jsonb, p_after jsonb) FROM PUBLIC;
