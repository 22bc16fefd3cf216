-- FUNCTION: sms_settle(bigint, text, text)
CREATE FUNCTION private.sms_settle(p_send_id bigint, p_reason text, p_provider_message_id text) RETURNS void
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  update private.sms_sends as s
  set outcome = case when p_reason is null then 'sent' else 'failed' end,
    reason = p_reason,
    provider_message_id = p_provider_message_id
  where s.id = p_send_id and s.outcome = 'pending'
$$;

-- COMMENT: FUNCTION sms_settle(p_send_id bigint, p_reason text, p_provider_message_id text)
COMMENT ON FUNCTION private.sms_settle(p_send_id bigint, p_reason text, p_provider_message_id text) IS 'Record the provider''s answer for a pending send: sent (with the provider''s message id) or failed (p_reason).';

-- ACL: FUNCTION sms_settle(p_send_id bigint, p_reason text, p_provider_message_id text)
REVOKE ALL ON FUNCTION private.sms_settle(p_send_id bigint, p_reason text, p_provider_message_id text) FROM PUBLIC;
