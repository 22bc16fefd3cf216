-- FUNCTION: end_abandoned_sessions()
CREATE FUNCTION private.end_abandoned_sessions() RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_ended integer;
  v_after interval := make_interval(mins => (
    select (s.value)::integer from private.settings as s where s.key = 'session_abandoned_minutes'
  ));
begin
  update public.dj_sessions as s set status = 'ended'
  where s.status = 'live' and s.started_at < now() - v_after
    and not exists (  -- the DJ (whose app heartbeats like a listener's) has been seen lately
      select 1 from public.session_members as m
      where m.session_id = s.id and m.user_id = s.dj_id and m.left_at is null and m.last_seen_at > now() - v_after
    )
    and (
      exists (select 1 from public.session_members as m where m.session_id = s.id and m.user_id = s.dj_id)
      or not exists (  -- a DJ who never joined their room: ended only once nobody at all is there
        select 1 from public.session_members as m
        where m.session_id = s.id and m.left_at is null and m.last_seen_at > now() - v_after
      )
    );
  get diagnostics v_ended = row_count;
  return v_ended;
end
$$;

-- COMMENT: FUNCTION end_abandoned_sessions()
COMMENT ON FUNCTION private.end_abandoned_sessions() IS 'End live sessions whose DJ has not been present for session_abandoned_minutes (their app died or they left), or, if the DJ never joined, where nobody has been; returns how many. Listeners get session.status as usual.';

-- ACL: FUNCTION end_abandoned_sessions()
REVOKE ALL ON FUNCTION private.end_abandoned_sessions() FROM PUBLIC;
