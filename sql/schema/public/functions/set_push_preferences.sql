-- FUNCTION: set_push_preferences(public.notification_kind[], text, time without time zone, time without time zone)
CREATE FUNCTION public.set_push_preferences(p_disabled_kinds public.notification_kind[] DEFAULT '{}'::public.notification_kind[], p_time_zone text DEFAULT 'UTC'::text, p_quiet_start time without time zone DEFAULT NULL::time without time zone, p_quiet_end time without time zone DEFAULT NULL::time without time zone) RETURNS public.push_preferences
    LANGUAGE sql
    SET search_path TO ''
    AS $$ select hidden.set_push_preferences(p_disabled_kinds, p_time_zone, p_quiet_start, p_quiet_end) $$;

-- COMMENT: FUNCTION set_push_preferences(p_disabled_kinds public.notification_kind[], p_time_zone text, p_quiet_start time without time zone, p_quiet_end time without time zone)
COMMENT ON FUNCTION public.set_push_preferences(p_disabled_kinds public.notification_kind[], p_time_zone text, p_quiet_start time without time zone, p_quiet_end time without time zone) IS 'Set which notification kinds are pushed and the quiet hours (local time in p_time_zone; an end before the start spans midnight). During quiet hours time-sensitive pushes (a DJ went live, your request plays next) are dropped and the rest wait until the quiet hours end; the in-app feed always has everything.
Errors: LOGIN; 22023 unknown time zone or half-set quiet hours.
Example: await supabase.rpc(''set_push_preferences'', { p_disabled_kinds: [''new_follower''], p_time_zone: ''Europe/Madrid'', p_quiet_start: ''23:00'', p_quiet_end: ''08:00'' })';

-- ACL: FUNCTION set_push_preferences(p_disabled_kinds public.notification_kind[], p_time_zone text, p_quiet_start time without time zone, p_quiet_end time without time zone)
REVOKE ALL ON FUNCTION public.set_push_preferences(p_disabled_kinds public.notification_kind[], p_time_zone text, p_quiet_start time without time zone, p_quiet_end time without time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION public.set_push_preferences(p_disabled_kinds public.notification_kind[], p_time_zone text, p_quiet_start time without time zone, p_quiet_end time without time zone) TO authenticated;
