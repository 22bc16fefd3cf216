/*
 * realtime-crowd-signals: what a packed room shows besides chat, and what its DJ must not miss.
 *
 *   reaction              a listener's emoji (react): at once in a push room, counted per tick in a
 *                         pull room (tick.reactions), so ten thousand people can cheer for one
 *                         message each second, not ten thousand;
 *   queue.skip            vote-to-skip progress on the playing track {item_id, votes, needed}
 *                         (high-frequency: the latest one per tick);
 *   session.announcement  the DJ's pinned announcement, at once in every room;
 *   report.created        a report about the room, its chat or its people (staff lane, at once;
 *                         the reporter is not named to the DJ);
 *   chat.held             a message a blocked term held for review (staff lane, at once).
 */

insert into private.settings (key, value, description) values
  ('reaction_emoji', '["🔥", "❤️", "🙌", "😂", "👏", "💯", "🎉", "🤯"]', 'The reactions listeners can send.'),
  ('reaction_rate_capacity', '5', 'Reactions a listener may send at once...'),
  ('reaction_rate_per_second', '1', '...and per second after that.');

-- triggers -------------------------------------------------------------------------------------

create or replace function private.tg_chat_messages__realtime() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_dj uuid;
  v_author record;
begin
  if NEW.status = 'visible' and (TG_OP = 'INSERT' or OLD.status = 'held') then
    select s.dj_id into v_dj from public.dj_sessions as s where s.id = NEW.session_id;
    select p.handle, p.display_name into v_author from public.profiles as p where p.id = NEW.author_id;
    perform private.rt_emit(NEW.session_id, 'chat.message', jsonb_build_object(
      'id', NEW.id, 'author_id', NEW.author_id, 'author_handle', v_author.handle,
      'author_name', v_author.display_name, 'body', NEW.body, 'reply_to_id', NEW.reply_to_id,
      'mentions', to_jsonb(NEW.mentions), 'created_at', NEW.created_at,
      'priority', NEW.author_id = v_dj or v_dj = any (NEW.mentions) or exists (
        select 1 from public.dj_moderators as d where d.dj_id = v_dj and d.user_id = NEW.author_id
      )
    ), true);
  elsif TG_OP = 'INSERT' and NEW.status = 'held' then
    select p.handle into v_author from public.profiles as p where p.id = NEW.author_id;
    perform private.rt_staff_event(NEW.session_id, 'chat.held', jsonb_build_object(
      'id', NEW.id, 'author_id', NEW.author_id, 'author_handle', v_author.handle, 'body', NEW.body,
      'held_term', NEW.held_term, 'created_at', NEW.created_at
    ));
  elsif TG_OP = 'UPDATE' and NEW.status = 'deleted' and OLD.status = 'visible' then
    perform private.rt_emit(NEW.session_id, 'chat.deleted', jsonb_build_object(
      'id', NEW.id, 'deleted_by', NEW.deleted_by, 'by_moderator', NEW.deleted_by is distinct from NEW.author_id
    ), false);
  end if;
  return null;
end
$$;
comment on function private.tg_chat_messages__realtime() is
  'Chat changes the room sees: chat.message (batched in big rooms; the staff lane has it at once), chat.deleted; '
  'a held message goes to the staff lane (chat.held).';

create or replace function private.tg_queue_items__realtime() returns trigger
language plpgsql security definer
set search_path = ''
as $$
declare
  v_session public.dj_sessions;
begin
  if TG_OP = 'INSERT' then
    perform private.rt_emit(NEW.session_id, 'queue.item', private.queue_item_event(NEW), true);
    return null;
  end if;
  if NEW.status is distinct from OLD.status or NEW.pin_order is distinct from OLD.pin_order then
    perform private.rt_emit(NEW.session_id, 'queue.item', private.queue_item_event(NEW), false);
    if NEW.status = 'playing' then
      perform private.rt_emit(NEW.session_id, 'now_playing', private.queue_item_event(NEW), false);
      if NEW.requested_by is not null then
        perform private.notify(NEW.requested_by, 'request_playing', 'request_playing:' || NEW.id, null, NEW.session_id,
          null, jsonb_build_object('item_id', NEW.id, 'track_id', NEW.track_id));
      end if;
    end if;
  elsif NEW.upvotes is distinct from OLD.upvotes or NEW.downvotes is distinct from OLD.downvotes then
    perform private.rt_emit(NEW.session_id, 'queue.votes', jsonb_build_object(
      'item_id', NEW.id, 'upvotes', NEW.upvotes, 'downvotes', NEW.downvotes, 'rank_key', to_jsonb(NEW.rank_key)
    ), true);
  end if;
  if NEW.skip_votes is distinct from OLD.skip_votes and NEW.status = 'playing' then
    select * into v_session from public.dj_sessions as s where s.id = NEW.session_id;
    perform private.rt_emit(NEW.session_id, 'queue.skip', jsonb_build_object(
      'item_id', NEW.id, 'votes', NEW.skip_votes,
      'needed', public.queue_skip_threshold(v_session.skip_mode, v_session.skip_percent, v_session.skip_log_factor,
        v_session.listener_count)
    ), true);
  end if;
  return null;
end
$$;
comment on function private.tg_queue_items__realtime() is
  'Queue changes the room sees: queue.item (new requests batched in big rooms), now_playing, queue.votes and '
  'queue.skip (batched); the requester is notified when their request starts.';
drop trigger _600_realtime on public.queue_items;
create trigger _600_realtime after insert or update of status, pin_order, upvotes, downvotes, skip_votes
  on public.queue_items for each row execute function private.tg_queue_items__realtime();

create or replace function private.tg_dj_sessions__realtime() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if TG_OP = 'INSERT' then
    -- Every session has its topic row from the start, so the flusher never has to create one
    -- (and never waits on a creator's uncommitted insert).
    insert into private.realtime_topics (topic, session_id, refilled_at)
    values ('session:' || NEW.id, NEW.id, private.rt_now());
    return null;
  end if;
  if NEW.status is distinct from OLD.status then
    perform private.rt_emit(NEW.id, 'session.status', jsonb_build_object(
      'status', NEW.status, 'started_at', NEW.started_at, 'ended_at', NEW.ended_at
    ), false);
  end if;
  if (NEW.title, NEW.visibility, NEW.slow_mode_seconds, NEW.followers_only_minutes, NEW.subscribers_only,
      NEW.emote_only, NEW.requests_open, NEW.queue_policy, NEW.queue_locked, NEW.skip_mode)
    is distinct from (OLD.title, OLD.visibility, OLD.slow_mode_seconds, OLD.followers_only_minutes, OLD.subscribers_only,
      OLD.emote_only, OLD.requests_open, OLD.queue_policy, OLD.queue_locked, OLD.skip_mode) then
    perform private.rt_emit(NEW.id, 'session.updated', jsonb_build_object(
      'title', NEW.title, 'visibility', NEW.visibility, 'slow_mode_seconds', NEW.slow_mode_seconds,
      'followers_only_minutes', NEW.followers_only_minutes, 'subscribers_only', NEW.subscribers_only,
      'emote_only', NEW.emote_only, 'requests_open', NEW.requests_open, 'queue_policy', NEW.queue_policy,
      'queue_locked', NEW.queue_locked, 'skip_mode', NEW.skip_mode
    ), false);
  end if;
  if (NEW.announcement, NEW.announced_at) is distinct from (OLD.announcement, OLD.announced_at) then
    perform private.rt_emit(NEW.id, 'session.announcement', jsonb_build_object(
      'body', NEW.announcement, 'by', NEW.announced_by, 'at', NEW.announced_at
    ), false);
  end if;
  if NEW.listener_count is distinct from OLD.listener_count and NEW.status = 'live' then
    perform private.rt_emit(NEW.id, 'presence.count', jsonb_build_object(
      'count', NEW.listener_count, 'peak', NEW.peak_listener_count
    ), true);
  end if;
  return null;
end
$$;
comment on function private.tg_dj_sessions__realtime() is
  'A new session gets its topic; changes the room sees: session.status, session.updated, session.announcement '
  '(at once), presence.count (batched).';

create function private.tg_reports__staff_lane() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if NEW.target_session_id is not null
    and exists (select 1 from public.dj_sessions as s where s.id = NEW.target_session_id and s.status <> 'ended') then
    -- The DJ's team sees what was reported and why, never who reported it.
    perform private.rt_staff_event(NEW.target_session_id, 'report.created', jsonb_build_object(
      'id', NEW.id, 'target_kind', NEW.target_kind, 'target_message_id', NEW.target_message_id,
      'target_user_id', NEW.target_user_id, 'reason', NEW.reason, 'created_at', NEW.created_at
    ));
  end if;
  return null;
end
$$;
comment on function private.tg_reports__staff_lane() is
  'A report about an open room reaches its staff lane at once (report.created, without the reporter).';
create trigger _600_staff_lane after insert on public.reports
  for each row execute function private.tg_reports__staff_lane();

-- helpers --------------------------------------------------------------------------------------

create function hidden.react(p_session_id uuid, p_emoji text) returns boolean
language plpgsql volatile security definer
set search_path = ''
as $$
declare
  v_uid uuid := hidden.require_user();
  v_wait double precision;
begin
  if not (hidden.setting('reaction_emoji') ? p_emoji) then
    raise exception 'That reaction is not offered.' using errcode = '22023',
      detail = json_build_object('allowed', hidden.setting('reaction_emoji'))::text, hint = 'Use one of details.allowed.';
  end if;
  perform 1 from public.session_members as m
  where m.session_id = p_session_id and m.user_id = v_uid and m.left_at is null;
  if not found then
    raise exception 'Join the session to react.' using errcode = 'NOTIN', hint = 'Call join_session first.';
  end if;
  v_wait := hidden.take_token(v_uid, 'reaction', (hidden.setting('reaction_rate_capacity'))::integer,
    (hidden.setting('reaction_rate_per_second'))::double precision);
  if v_wait > 0 then
    raise exception 'You are reacting very fast.' using errcode = 'RATEL',
      detail = json_build_object('retry_after_seconds', v_wait)::text, hint = 'Wait a moment.';
  end if;
  perform private.rt_emit(p_session_id, 'reaction', jsonb_build_object('emoji', p_emoji, 'user_id', v_uid), true);
  return true;
end
$$;
comment on function hidden.react(uuid, text) is 'Implementation of public.react (a pure event: nothing is stored).';
grant execute on function hidden.react(uuid, text) to authenticated;

-- RPCs -----------------------------------------------------------------------------------------

create function public.react(p_session_id uuid, p_emoji text) returns boolean
language sql volatile
set search_path = ''
as $$ select hidden.react(p_session_id, p_emoji) $$;
comment on function public.react(uuid, text) is
  E'Send a reaction to the room (one of the setting reaction_emoji): a push room sees it at once, a crowd as counts '
  'in each tick (tick.reactions). Nothing is stored. Returns true.\n'
  'Errors: LOGIN; 22023 not an offered reaction (details.allowed); NOTIN join first; RATEL too fast '
  '(details.retry_after_seconds).\n'
  'Example: await supabase.rpc(''react'', { p_session_id: id, p_emoji: ''🔥'' })';
grant execute on function public.react(uuid, text) to authenticated;
