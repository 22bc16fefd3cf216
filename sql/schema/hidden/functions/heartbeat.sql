-- FUNCTION: heartbeat(uuid, boolean)
CREATE FUNCTION hidden.heartbeat(p_session_id uuid, p_foreground boolean) RETURNS public.membership
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
declare
  v_uid uuid := hidden.require_user();
  v_row record;
begin
  perform set_config('synchronous_commit', 'off', true);  -- presence is ephemeral
  update public.session_members as m
  set last_seen_at = now(), foreground = coalesce(p_foreground, m.foreground)
  from public.dj_sessions as s
  where m.session_id = p_session_id and m.user_id = v_uid and m.left_at is null and s.id = m.session_id
  returning m.session_id, m.role, m.joined_at, s.status, s.listener_count, (
    select max(b.expires_at) from public.dj_bans as b  -- hidden.timeout_until, in the same statement
    where b.dj_id = s.dj_id and b.user_id = v_uid and b.kind = 'timeout' and b.revoked_at is null
      and b.expires_at > now()
  ) as timeout_until into v_row;
  if v_row.session_id is null then
    -- Dropped as stale (a flaky network) or never joined: rejoin, with every join check.
    return hidden.join_session(p_session_id, null, p_foreground);
  end if;
  return (v_row.session_id, v_uid, v_row.role, v_row.joined_at, v_row.status, v_row.listener_count,
    v_row.timeout_until)::public.membership;
end
$$;

-- COMMENT: FUNCTION heartbeat(p_session_id uuid, p_foreground boolean)
COMMENT ON FUNCTION hidden.heartbeat(p_session_id uuid, p_foreground boolean) IS 'Implementation of public.heartbeat: refresh the caller''s presence (and foreground state) in one update, or rejoin.';

-- ACL: FUNCTION heartbeat(p_session_id uuid, p_foreground boolean)
REVOKE ALL ON FUNCTION hidden.heartbeat(p_session_id uuid, p_foreground boolean) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.heartbeat(p_session_id uuid, p_foreground boolean) TO authenticated;
