-- FUNCTION: room_snapshot(uuid)
CREATE FUNCTION hidden.room_snapshot(p_session_id uuid) RETURNS json
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_snap private.room_snapshots := hidden.room_state(p_session_id);
  v_uid uuid := auth.uid();
  v_topic private.realtime_topics;
  v_chat json := v_snap.chat;
begin
  select * into v_topic from private.realtime_topics as t where t.topic = 'session:' || p_session_id;
  if exists (select 1 from public.blocks as k where k.blocker_id = v_uid or k.blocked_id = v_uid) then
    select coalesce(json_agg(m.value order by m.n), '[]') into v_chat
    from json_array_elements(v_snap.chat) with ordinality as m(value, n)
    where not hidden.blocked_between(v_uid, (m.value ->> 'author_id')::uuid);
  end if;
  return json_build_object(
    'seq', v_snap.seq, 'server_time', clock_timestamp(),
    'delivery', json_build_object('mode', coalesce(v_topic.delivery, 'push'),
      'poll_ms', case when v_topic.delivery in ('pull', 'cdn') then v_topic.poll_ms end,
      'cdn', private.cdn_delivery(p_session_id, v_topic.delivery)),
    'session', v_snap.session, 'now_playing', v_snap.now_playing, 'queue', v_snap.queue,
    'chat', v_chat, 'listeners', v_snap.listeners
  );
end
$$;

-- COMMENT: FUNCTION room_snapshot(p_session_id uuid)
COMMENT ON FUNCTION hidden.room_snapshot(p_session_id uuid) IS 'Implementation of session_snapshot: the room''s kept snapshot, with the live delivery mode (push for a retired topic; in cdn, how to read the files) and the caller''s blocks applied.';

-- ACL: FUNCTION room_snapshot(p_session_id uuid)
REVOKE ALL ON FUNCTION hidden.room_snapshot(p_session_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.room_snapshot(p_session_id uuid) TO authenticated;
