-- FUNCTION: set_push_preferences(public.notification_kind[], text, time without time zone, time without time zone)
CREATE FUNCTION hidden.set_push_preferences(p_disabled_kinds public.notification_kind[], p_time_zone text, p_quiet_start time without time zone, p_quiet_end time without time zone) RETURNS public.push_preferences
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := hidden.require_user();
  v_row public.push_preferences;
begin
  if not exists (select 1 from pg_catalog.pg_timezone_names as z where z.name = p_time_zone) then
    raise exception 'Unknown time zone %.', p_time_zone using errcode = '22023',
      hint = 'Send an IANA name such as Europe/Madrid (Intl.DateTimeFormat().resolvedOptions().timeZone).';
  elsif (p_quiet_start is null) <> (p_quiet_end is null) then
    raise exception 'Quiet hours need a start and an end.' using errcode = '22023', hint = 'Send both, or neither.';
  end if;
  insert into public.push_preferences as p (user_id, disabled_kinds, time_zone, quiet_start, quiet_end)
  values (v_uid, coalesce(p_disabled_kinds, '{}'), p_time_zone, p_quiet_start, p_quiet_end)
  on conflict (user_id) do update
  set disabled_kinds = excluded.disabled_kinds, time_zone = excluded.time_zone, quiet_start = excluded.quiet_start,
    quiet_end = excluded.quiet_end, updated_at = now()
  returning * into v_row;
  return v_row;
end
$$;

-- COMMENT: FUNCTION set_push_preferences(p_disabled_kinds public.notification_kind[], p_time_zone text, p_quiet_start time without time zone, p_quiet_end time without time zone)
COMMENT ON FUNCTION hidden.set_push_preferences(p_disabled_kinds public.notification_kind[], p_time_zone text, p_quiet_start time without time zone, p_quiet_end time without time zone) IS 'Implementation of public.set_push_preferences.';

-- ACL: FUNCTION set_push_preferences(p_disabled_kinds public.notification_kind[], p_time_zone text, p_quiet_start time without time zone, p_quiet_end time without time zone)
REVOKE ALL ON FUNCTION hidden.set_push_preferences(p_disabled_kinds public.notification_kind[], p_time_zone text, p_quiet_start time without time zone, p_quiet_end time without time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.set_push_preferences(p_disabled_kinds public.notification_kind[], p_time_zone text, p_quiet_start time without time zone, p_quiet_end time without time zone) TO authenticated;
