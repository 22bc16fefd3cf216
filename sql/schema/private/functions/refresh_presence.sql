-- FUNCTION: refresh_presence()
CREATE FUNCTION private.refresh_presence() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_timeout interval := make_interval(secs => (hidden.setting('presence_timeout_seconds'))::integer);
  v_dropped integer;
begin
  update public.session_members as m set left_at = m.last_seen_at + v_timeout
  where m.left_at is null and m.last_seen_at < now() - v_timeout;
  get diagnostics v_dropped = row_count;
  update public.dj_sessions as s
  set listener_count = c.present, peak_listener_count = greatest(s.peak_listener_count, c.present),
    foreground_count = c.foreground
  from (
    select live.id, count(m.user_id) filter (where m.role <> 'dj')::integer as present,
      count(m.user_id) filter (where m.foreground)::integer as foreground
    from public.dj_sessions as live
    left join public.session_members as m on m.session_id = live.id and m.left_at is null
    where live.status = 'live'
    group by live.id
  ) as c
  where s.id = c.id
    and (s.listener_count <> c.present or s.peak_listener_count < c.present or s.foreground_count <> c.foreground);
  return v_dropped;
end
$$;

-- COMMENT: FUNCTION refresh_presence()
COMMENT ON FUNCTION private.refresh_presence() IS 'Scheduled every few seconds: drop members silent for longer than the timeout, then set each live session''s listener_count (and peak) and foreground_count from who is present. Returns how many were dropped. Safe to run concurrently.';

-- ACL: FUNCTION refresh_presence()
REVOKE ALL ON FUNCTION private.refresh_presence() FROM PUBLIC;
