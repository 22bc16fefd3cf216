-- FUNCTION: prune_sms_sends()
CREATE FUNCTION private.prune_sms_sends() RETURNS integer
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  with gone as (
    delete from private.sms_sends as s where s.created_at < now() - interval '90 days'
    returning 1
  )
  select count(*)::integer from gone
$$;

-- COMMENT: FUNCTION prune_sms_sends()
COMMENT ON FUNCTION private.prune_sms_sends() IS 'Scheduled hourly (private.schedule sms_audit_prune): delete send-SMS audit rows older than 90 days; returns how many.';

-- ACL: FUNCTION prune_sms_sends()
REVOKE ALL ON FUNCTION private.prune_sms_sends() FROM PUBLIC;
