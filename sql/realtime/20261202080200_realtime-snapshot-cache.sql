/*
 * realtime-snapshot-cache: a room's snapshot is built at most once a second, then read by key.
 *
 * session_snapshot is what every joining or resyncing app calls first: 10,000 listeners arriving
 * in a minute are 167 snapshots a second of the same room, each of which built the queue's top 50
 * and the latest chat (issue 16: 12.5 ms each, the most expensive read). Now the shared part of a
 * snapshot (the session, now playing, the queue's top 50, the latest 50 visible chat lines, the
 * counts) is kept per room with the sequence number it reflects, rebuilt by the first caller who
 * finds it more than a second old and behind the room's log (one builder at a time: the others
 * serve the copy they find). A snapshot a second old is still exact: the app applies the entries
 * after its seq. It is built in one statement, so its seq and its state are one MVCC snapshot.
 * The pieces are kept as json and put together with json_build_object, which concatenates them
 * as they are (nothing is parsed again on the way out). What depends on the caller is applied on
 * the way out: the delivery mode (read live) and, for someone who blocked or was blocked by an
 * author, their lines left out. queue_top's first page (50, what the app asks for) is the same
 * piece; other pages are read live.
 */

-- tables ---------------------------------------------------------------------------------------

create table private.room_snapshots (
  session_id uuid primary key references public.dj_sessions (id) on delete cascade,
  seq bigint not null,
  session json not null,
  now_playing json,
  queue json not null,
  listeners json not null,
  chat json not null,
  built_at timestamptz not null
) with (fillfactor = 50);  -- rewritten up to once a second per live room: HOT updates
comment on table private.room_snapshots is 'Each room''s latest shared snapshot (what session_snapshot serves).';
comment on column private.room_snapshots.session_id is 'The room.';
comment on column private.room_snapshots.seq is 'The room topic''s sequence number the snapshot reflects.';
comment on column private.room_snapshots.session is 'The session row.';
comment on column private.room_snapshots.now_playing is 'What plays (public.now_playing), or NULL.';
comment on column private.room_snapshots.queue is 'queue_top(50).';
comment on column private.room_snapshots.listeners is '{count, peak}.';
comment on column private.room_snapshots.chat is 'The latest 50 visible chat lines, oldest first.';
comment on column private.room_snapshots.built_at is 'When it was built (rebuilt when over a second old and behind).';
-- Served as stored: no compression to undo on every read (a room's snapshot is tens of KB).
alter table private.room_snapshots alter column queue set storage external;
alter table private.room_snapshots alter column chat set storage external;
alter table private.room_snapshots enable row level security;
-- NOTE: no policies and no grants: built and read by hidden.room_state only.

-- helpers --------------------------------------------------------------------------------------

create function private.room_snapshot_now(p_session_id uuid) returns private.room_snapshots
language plpgsql stable
set search_path = ''
as $$
declare
  v_row private.room_snapshots;
begin
  -- STABLE: every query here sees the calling statement's MVCC snapshot, so seq and state agree.
  select p_session_id, t.last_seq, to_json(s),
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
  join private.realtime_topics as t on t.topic = 'session:' || s.id
  where s.id = p_session_id;
  return v_row;
end
$$;
comment on function private.room_snapshot_now(uuid) is
  'A room''s shared snapshot as of now (its seq, session, now playing, queue top 50, counts, latest visible chat).';

create function hidden.room_state(p_session_id uuid) returns private.room_snapshots
language plpgsql volatile security definer
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
declare
  v_uid uuid := hidden.require_user();
  v_last bigint;
  v_snap private.room_snapshots;
begin
  -- Seeing a room: its members at once (a probe), anyone else checked in full.
  perform 1 from public.session_members as m
  where m.session_id = p_session_id and m.user_id = v_uid and m.left_at is null;
  if not found and not hidden.realtime_can_read('session:' || p_session_id) then
    raise exception 'No such session (or you cannot see it).' using errcode = 'P0002', hint = 'Check the session id.';
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
comment on function hidden.room_state(uuid) is
  'A room''s shared snapshot for a caller who may view it (P0002 otherwise): the kept copy, rebuilt when over a '
  'second old and behind the room''s log (one builder at a time).';
grant execute on function hidden.room_state(uuid) to authenticated;

create function hidden.room_snapshot(p_session_id uuid) returns json
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
    'delivery', json_build_object('mode', v_topic.delivery,
      'poll_ms', case when v_topic.delivery = 'pull' then v_topic.poll_ms end),
    'session', v_snap.session, 'now_playing', v_snap.now_playing, 'queue', v_snap.queue,
    'chat', v_chat, 'listeners', v_snap.listeners
  );
end
$$;
comment on function hidden.room_snapshot(uuid) is
  'Implementation of session_snapshot: the room''s kept snapshot, with the live delivery mode and the caller''s '
  'blocks applied.';
grant execute on function hidden.room_snapshot(uuid) to authenticated;

-- the queue's first page: the same piece --------------------------------------------------------

alter function public.queue_top(uuid, integer) set schema private;
alter function private.queue_top(uuid, integer) rename to queue_top_live;
revoke execute on function private.queue_top_live(uuid, integer) from authenticated;
comment on function private.queue_top_live(uuid, integer) is
  'The next p_limit (1-200) queued tracks as a JSON array of queue_entry objects (position 1 plays next), read '
  'from the rank index and one probe per row for its track and requester.';

create function hidden.queue_top(p_session_id uuid, p_limit integer) returns json
language plpgsql volatile security definer
set search_path = ''
as $$
begin
  if coalesce(p_limit, 50) = 50 then
    return (hidden.room_state(p_session_id)).queue;  -- the page everyone asks for: kept, at most a second old
  end if;
  perform hidden.room_state(p_session_id);  -- the same check of who may see the room
  return private.queue_top_live(p_session_id, p_limit);
end
$$;
comment on function hidden.queue_top(uuid, integer) is 'Implementation of queue_top (the first page is the room snapshot''s).';
grant execute on function hidden.queue_top(uuid, integer) to authenticated;

-- RPCs -----------------------------------------------------------------------------------------

create function public.queue_top(p_session_id uuid, p_limit integer default 50) returns json
language plpgsql volatile
set search_path = ''
as $$
begin
  return hidden.queue_top(p_session_id, p_limit);
end
$$;
comment on function public.queue_top(uuid, integer) is
  E'The next tracks in order as a JSON array of queue_entry objects (position 1 plays next) of a room you may view. '
  'The first page (50) is the room snapshot''s, at most a second old (live changes arrive as events); other '
  'limits (1-200) are read live.\n'
  'Errors: LOGIN; P0002 no such session or not visible.\n'
  'Example: const { data } = await supabase.rpc(''queue_top'', { p_session_id: id, p_limit: 50 })';
grant execute on function public.queue_top(uuid, integer) to authenticated;

create or replace function public.session_snapshot(p_session_id uuid) returns json
language plpgsql volatile
set search_path = ''
as $$
begin
  return hidden.room_snapshot(p_session_id);
end
$$;
comment on function public.session_snapshot(uuid) is
  E'Everything a joining (or resyncing) client needs in one call: {seq, server_time, delivery {mode, poll_ms: push = '
  'subscribe to session:<id>, pull = call session_poll every poll_ms}, session (with its pinned announcement), '
  'now_playing, queue (top 50), chat (latest 50 visible, oldest first; none across a block), listeners {count, '
  'peak}}, as of seq (at most a second old: apply what follows it). Push: subscribe first, then apply broadcasts '
  'with seq > snapshot.seq; pull: poll from snapshot.seq. Call it with POST (the default).\n'
  'Errors: LOGIN; P0002 no such session or not visible.\n'
  'Example: const { data: snap } = await supabase.rpc(''session_snapshot'', { p_session_id: id })';

-- The snapshot reads the delivery mode from the topic row itself (hidden.room_snapshot).
drop function hidden.topic_delivery(text);

create or replace function private.realtime_prune() returns integer
language plpgsql volatile
set search_path = ''
as $$
declare
  v_gone integer;
  v_retention interval := make_interval(hours => (hidden.setting('realtime_log_retention_hours'))::integer);
begin
  delete from private.realtime_log as l where l.created_at < now() - v_retention;
  get diagnostics v_gone = row_count;
  delete from private.room_snapshots as r where r.built_at < now() - v_retention;
  return v_gone;
end
$$;
comment on function private.realtime_prune() is
  'Scheduled: drop logged events (and room snapshots) older than the resync retention; returns the events dropped.';

drop function hidden.topic_seq(text);
