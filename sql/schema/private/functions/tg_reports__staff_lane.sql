-- FUNCTION: tg_reports__staff_lane()
CREATE FUNCTION private.tg_reports__staff_lane() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if NEW.target_session_id is not null
    and exists (select 1 from public.dj_sessions as s where s.id = NEW.target_session_id and s.status <> 'ended') then
    -- The DJ's team sees what was reported and why, never who reported it.
    perform private.rt_staff_event(NEW.target_session_id, 'report.created', jsonb_build_object(
      'id', NEW.id, 'target_kind', NEW.target_kind, 'target_message_id', NEW.target_message_id,
      'target_user_id', NEW.target_user_id, 'reason', NEW.reason, 'created_at', NEW.created_at
    ));
  end if;
  return null;
end
$$;

-- COMMENT: FUNCTION tg_reports__staff_lane()
COMMENT ON FUNCTION private.tg_reports__staff_lane() IS 'A report about an open room reaches its staff lane at once (report.created, without the reporter).';

-- ACL: FUNCTION tg_reports__staff_lane()
REVOKE ALL ON FUNCTION private.tg_reports__staff_lane() FROM PUBLIC;
