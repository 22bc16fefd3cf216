/*
 * realtime-retired-topics: a room's snapshot does not need its topic row any more.
 *
 * Retention (sql/ops/20261203131337_ops-bounded-retention.sql, issue 18 §7) deletes the topic
 * rows of sessions that ended long ago (retention_realtime_topic_days, after their log and
 * buffer are gone). The room is still viewable afterwards (history, a shared link), and
 * session_snapshot joined the topic row: with it gone the snapshot came out all NULL and failed
 * to be stored. A missing topic row now reads as a topic that never broadcast: seq 0, delivery
 * push (the column's default). Writers already create a missing row on first use
 * (private.rt_topic_row), and resync reads treat a missing row as last_seq 0 already.
 *
 * Bodies copied from 20261202080200_realtime-snapshot-cache.sql (no later restatement); changed:
 * room_snapshot_now left-joins the topic (coalesce(last_seq, 0)); room_snapshot answers
 * mode 'push' when the row is missing.
 */

-- helper functions -----------------------------------------------------------------------------

create or replace function private.room_snapshot_now(p_session_id uuid) returns private.room_snapshots
language plpgsql stable
set search_path = ''
as $$
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
comment on function private.room_snapshot_now(uuid) is
  'A room''s shared snapshot as of now (its seq, session, now playing, queue top 50, counts, latest visible chat); '
  'seq 0 for a room whose topic was retired.';

create or replace function hidden.room_snapshot(p_session_id uuid) returns json
language plpgsql volatile security definer
set search_path = ''
as $$
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
      'poll_ms', case when v_topic.delivery = 'pull' then v_topic.poll_ms end),
    'session', v_snap.session, 'now_playing', v_snap.now_playing, 'queue', v_snap.queue,
    'chat', v_chat, 'listeners', v_snap.listeners
  );
end
$$;
comment on function hidden.room_snapshot(uuid) is
  'Implementation of session_snapshot: the room''s kept snapshot, with the live delivery mode (push for a retired '
  'topic) and the caller''s blocks applied.';
