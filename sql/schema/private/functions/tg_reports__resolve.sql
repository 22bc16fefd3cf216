-- FUNCTION: tg_reports__resolve()
CREATE FUNCTION private.tg_reports__resolve() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if NEW.status = 'open' and OLD.status <> 'open' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('STATE', 'A resolved report cannot be reopened.', 'File a new report.'),
      detail = hidden.api_response('STATE');
  end if;
  if NEW.status <> OLD.status then
    NEW.handled_by := auth.uid();
    NEW.handled_at := now();
    perform private.log_moderation(null, NEW.target_session_id, 'resolve_report', NEW.target_user_id,
      NEW.target_message_id, coalesce(NEW.resolution_note, ''), jsonb_build_object('report_id', NEW.id, 'status', OLD.status),
      jsonb_build_object('status', NEW.status));
  end if;
  return NEW;
end
$$;

-- COMMENT: FUNCTION tg_reports__resolve()
COMMENT ON FUNCTION private.tg_reports__resolve() IS 'When staff resolve a report: record who and when, and log it on the platform chain.';

-- ACL: FUNCTION tg_reports__resolve()
REVOKE ALL ON FUNCTION private.tg_reports__resolve() FROM PUBLIC;
