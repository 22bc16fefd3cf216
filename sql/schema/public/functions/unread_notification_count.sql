-- FUNCTION: unread_notification_count()
CREATE FUNCTION public.unread_notification_count() RETURNS integer
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select count(*)::integer from public.notifications as n
  where n.user_id = (select auth.uid()) and n.read_at is null
$$;

-- COMMENT: FUNCTION unread_notification_count()
COMMENT ON FUNCTION public.unread_notification_count() IS 'How many of the caller''s notifications are unread (the badge number).
Example: const { data: unread } = await supabase.rpc(''unread_notification_count'')';

-- ACL: FUNCTION unread_notification_count()
REVOKE ALL ON FUNCTION public.unread_notification_count() FROM PUBLIC;
GRANT ALL ON FUNCTION public.unread_notification_count() TO authenticated;
