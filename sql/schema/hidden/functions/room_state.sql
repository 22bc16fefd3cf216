-- FUNCTION: room_state(uuid)
CREATE FUNCTION hidden.room_state(p_session_id uuid) RETURNS private.room_snapshots
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
declare
  v_uid uuid := hidden.require_user();
  v_last bigint;
  v_snap private.room_snapshots;
begin
  -- Seeing a room: its members at once (a probe), anyone else checked in full.
  perform 1 from public.session_members as m
  where m.session_id = p_session_id and m.user_id = v_uid and m.left_at is null;
  if not found and not hidden.realtime_can_read('session:' || p_session_id) then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such session (or you cannot see it).', 'Check the session id.'),
      detail = hidden.api_response('P0002');
  end if;
  select * into v_snap from private.room_snapshots as r where r.session_id = p_session_id;
  if v_snap.session_id is not null and v_snap.built_at >= clock_timestamp() - interval '1 second' then
    return v_snap;
  end if;
  select t.last_seq into v_last from private.realtime_topics as t where t.topic = 'session:' || p_session_id;
  if v_snap.session_id is not null and v_snap.seq >= v_last then
    return v_snap;  -- nothing happened since: still exact
  elsif pg_try_advisory_xact_lock(hashtextextended('snapshot:' || p_session_id, 0)) then
    insert into private.room_snapshots as r
    select (private.room_snapshot_now(p_session_id)).*
    on conflict (session_id) do update
      set seq = excluded.seq, session = excluded.session, now_playing = excluded.now_playing,
        queue = excluded.queue, listeners = excluded.listeners, chat = excluded.chat, built_at = excluded.built_at
    returning * into v_snap;
  elsif v_snap.session_id is null then
    v_snap := private.room_snapshot_now(p_session_id);  -- someone else builds the first copy: ours, unstored
  end if;
  return v_snap;
end
$$;

-- COMMENT: FUNCTION room_state(p_session_id uuid)
COMMENT ON FUNCTION hidden.room_state(p_session_id uuid) IS 'A room''s shared snapshot for a caller who may view it (P0002 otherwise): the kept copy, rebuilt when over a second old and behind the room''s log (one builder at a time).';

-- ACL: FUNCTION room_state(p_session_id uuid)
REVOKE ALL ON FUNCTION hidden.room_state(p_session_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.room_state(p_session_id uuid) TO authenticated;
