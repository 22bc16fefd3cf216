-- FUNCTION: sms_claim(text, uuid, text, integer, text, text, integer, integer, integer, integer)
CREATE FUNCTION private.sms_claim(p_webhook_id text, p_user_id uuid, p_phone text, p_calling_code integer, p_prefix text, p_refusal text, p_number_10min integer, p_number_24h integer, p_prefix_hour integer, p_global_hour integer) RETURNS TABLE(send_id bigint, refusal text, alert boolean)
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_reason text := p_refusal;
  v_alert boolean := false;
  v_count bigint;
  v_id bigint;
begin
  if v_reason is null then
    -- One claim per scope at a time, locks always taken in this order (no deadlock): each count
    -- below sees every earlier claim, and this one is recorded before the locks go.
    perform pg_advisory_xact_lock(hashtextextended('sms:number:' || p_phone, 0));
    perform pg_advisory_xact_lock(hashtextextended('sms:prefix:' || p_prefix, 0));
    if p_global_hour is not null then
      perform pg_advisory_xact_lock(hashtextextended('sms:global', 0));
    end if;
    select count(*) into v_count from private.sms_sends as s
    where s.phone = p_phone and s.outcome in ('pending', 'sent') and s.created_at > now() - interval '10 minutes';
    if v_count >= p_number_10min then
      v_reason := 'SMSNB';
    end if;
    if v_reason is null then
      select count(*) into v_count from private.sms_sends as s
      where s.phone = p_phone and s.outcome in ('pending', 'sent') and s.created_at > now() - interval '24 hours';
      if v_count >= p_number_24h then
        v_reason := 'SMSND';
      end if;
    end if;
    if v_reason is null then
      select count(*) into v_count from private.sms_sends as s
      where s.prefix = p_prefix and s.outcome in ('pending', 'sent') and s.created_at > now() - interval '1 hour';
      if v_count >= p_prefix_hour then
        v_reason := 'SMSPX';
      end if;
    end if;
    if v_reason is null and p_global_hour is not null then
      select count(*) into v_count from private.sms_sends as s
      where s.outcome in ('pending', 'sent') and s.created_at > now() - interval '1 hour';
      if v_count >= p_global_hour then
        v_reason := 'SMSGC';
        -- Alert once an hour: only the first refusal since the last alert-worthy one.
        v_alert := not exists (
          select 1 from private.sms_sends as s where s.reason = 'SMSGC' and s.created_at > now() - interval '1 hour'
        );
      end if;
    end if;
  end if;
  insert into private.sms_sends (webhook_id, user_id, phone, calling_code, prefix, outcome, reason)
  values (
    p_webhook_id, p_user_id, p_phone, p_calling_code, p_prefix,
    case when v_reason is null then 'pending' else 'refused' end, v_reason
  )
  on conflict (webhook_id) do nothing
  returning id into v_id;
  if v_id is null then
    return;  -- a replayed webhook-id: no row, nothing recorded
  end if;
  return query select v_id, v_reason, v_alert;
end
$$;

-- COMMENT: FUNCTION sms_claim(p_webhook_id text, p_user_id uuid, p_phone text, p_calling_code integer, p_prefix text, p_refusal text, p_number_10min integer, p_number_24h integer, p_prefix_hour integer, p_global_hour integer)
COMMENT ON FUNCTION private.sms_claim(p_webhook_id text, p_user_id uuid, p_phone text, p_calling_code integer, p_prefix text, p_refusal text, p_number_10min integer, p_number_24h integer, p_prefix_hour integer, p_global_hour integer) IS 'Record one send-SMS request and decide it: with p_refusal (a number rule already refused it) records the refusal; otherwise, under per-number, per-prefix and global advisory locks, refuses it past a velocity limit (SMSNB, SMSND, SMSPX, SMSGC; p_global_hour NULL: no global cap) or records it pending. Returns the row id, the refusal (NULL: send it) and whether this is the first global-cap refusal in an hour (alert); no row for a replayed webhook id.';

-- ACL: FUNCTION sms_claim(p_webhook_id text, p_user_id uuid, p_phone text, p_calling_code integer, p_prefix text, p_refusal text, p_number_10min integer, p_number_24h integer, p_prefix_hour integer, p_global_hour integer)
REVOKE ALL ON FUNCTION private.sms_claim(p_webhook_id text, p_user_id uuid, p_phone text, p_calling_code integer, p_prefix text, p_refusal text, p_number_10min integer, p_number_24h integer, p_prefix_hour integer, p_global_hour integer) FROM PUBLIC;
