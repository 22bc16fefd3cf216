-- FUNCTION: room_snapshot_now(uuid)
CREATE FUNCTION private.room_snapshot_now(p_session_id uuid) RETURNS private.room_snapshots
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
declare
  v_row private.room_snapshots;
begin
  -- STABLE: every query here sees the calling statement's MVCC snapshot, so seq and state agree.
  select p_session_id, coalesce(t.last_seq, 0), to_json(s),
    (select to_json(n) from public.now_playing(p_session_id) as n where n.item_id is not null),
    private.queue_top_live(p_session_id, 50),
    json_build_object('count', s.listener_count, 'peak', s.peak_listener_count),
    (
      select coalesce(json_agg(c order by c.created_at, c.id), '[]')
      from (
        select m.* from public.chat_messages as m
        where m.session_id = p_session_id and m.status = 'visible'
        order by m.created_at desc, m.id desc limit 50
      ) as c
    ),
    clock_timestamp()
  into v_row
  from public.dj_sessions as s
  left join private.realtime_topics as t on t.topic = 'session:' || s.id
  where s.id = p_session_id;
  return v_row;
end
$$;

-- COMMENT: FUNCTION room_snapshot_now(p_session_id uuid)
COMMENT ON FUNCTION private.room_snapshot_now(p_session_id uuid) IS 'A room''s shared snapshot as of now (its seq, session, now playing, queue top 50, counts, latest visible chat); seq 0 for a room whose topic was retired.';

-- ACL: FUNCTION room_snapshot_now(p_session_id uuid)
REVOKE ALL ON FUNCTION private.room_snapshot_now(p_session_id uuid) FROM PUBLIC;
