-- FUNCTION: live_sessions()
CREATE FUNCTION private.live_sessions() RETURNS TABLE(id uuid, title text, dj text, listeners integer, visibility text, started_at timestamp with time zone)
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select s.id, s.title, p.handle, s.listener_count, s.visibility::text, s.started_at
  from public.dj_sessions as s
  inner join public.profiles as p on s.dj_id = p.id
  where s.status = 'live'
  order by s.listener_count desc, s.started_at
$$;

-- COMMENT: FUNCTION live_sessions()
COMMENT ON FUNCTION private.live_sessions() IS 'Live sessions, busiest first, with their DJ''s handle (whatssound sessions live).';

-- ACL: FUNCTION live_sessions()
REVOKE ALL ON FUNCTION private.live_sessions() FROM PUBLIC;
