/*
 * realtime-events: which changes become which events (docs/realtime-events.md is the catalogue,
 * docs/realtime-events/<event>.schema.json the contracts; a test validates every emitted payload).
 *
 * Room topic session:<id>
 *   session.status   status changed (live, ended)                       at once
 *   session.updated  title, visibility, chat modes or queue rules       at once
 *   presence.count   listener count / peak changed                      high-frequency
 *   chat.message     a visible message (or one approved)                high-frequency
 *   chat.deleted     a message was deleted                              at once
 *   queue.item       a request was added (high-frequency) or its state
 *                    changed: played, skipped, rejected, pinned...       at once
 *   queue.votes      a request's vote tally changed                     high-frequency
 *   now_playing      a track started                                    at once
 *   tick             a batch of waiting events (realtime-outbox)
 * Personal topic user:<id>
 *   notification     a row of the feed (mention, new follower, your request plays next...)
 *   moderation.applied  you were banned or timed out in a DJ's channel
 * "At once" still spends the room's budget: when it is empty, the event waits for the next tick.
 */

create function private.tg_chat_messages__realtime() returns trigger
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
  elsif TG_OP = 'UPDATE' and NEW.status = 'deleted' and OLD.status = 'visible' then
    perform private.rt_emit(NEW.session_id, 'chat.deleted', jsonb_build_object(
      'id', NEW.id, 'deleted_by', NEW.deleted_by, 'by_moderator', NEW.deleted_by is distinct from NEW.author_id
    ), false);
  end if;
  return null;
end
$$;
comment on function private.tg_chat_messages__realtime() is 'Chat changes the room sees: chat.message (batched in big rooms), chat.deleted.';
create trigger _600_realtime after insert or update of status on public.chat_messages
  for each row execute function private.tg_chat_messages__realtime();

create function private.queue_item_event(p_item public.queue_items) returns jsonb
language sql stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p_item.id, 'status', p_item.status, 'track_id', p_item.track_id, 'title', t.title, 'artist', t.artist,
    'duration_ms', t.duration_ms, 'requested_by', p_item.requested_by, 'upvotes', p_item.upvotes,
    'downvotes', p_item.downvotes, 'pinned', p_item.pin_order is not null, 'fair_round', p_item.fair_round,
    'rank_key', to_jsonb(p_item.rank_key), 'started_at', p_item.started_at, 'reason', p_item.decision_reason
  )
  from public.tracks as t where t.id = p_item.track_id
$$;
comment on function private.queue_item_event(public.queue_items) is 'The public state of a queue item, as queue.item events carry it.';

create function private.tg_queue_items__realtime() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  if TG_OP = 'INSERT' then
    perform private.rt_emit(NEW.session_id, 'queue.item', private.queue_item_event(NEW), true);
  elsif NEW.status is distinct from OLD.status or NEW.pin_order is distinct from OLD.pin_order then
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
  return null;
end
$$;
comment on function private.tg_queue_items__realtime() is
  'Queue changes the room sees: queue.item (new requests batched in big rooms), now_playing, queue.votes (batched); '
  'the requester is notified when their request starts.';
create trigger _600_realtime after insert or update of status, pin_order, upvotes, downvotes on public.queue_items
  for each row execute function private.tg_queue_items__realtime();

create function private.tg_dj_sessions__realtime() returns trigger
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
  if NEW.listener_count is distinct from OLD.listener_count and NEW.status = 'live' then
    perform private.rt_emit(NEW.id, 'presence.count', jsonb_build_object(
      'count', NEW.listener_count, 'peak', NEW.peak_listener_count
    ), true);
  end if;
  return null;
end
$$;
comment on function private.tg_dj_sessions__realtime() is
  'A new session gets its topic; changes the room sees: session.status, session.updated, presence.count (batched).';
create trigger _600_realtime after insert or update on public.dj_sessions
  for each row execute function private.tg_dj_sessions__realtime();

insert into private.realtime_topics (topic, session_id, refilled_at)
select
  'session:' || s.id as topic,
  s.id as session_id,
  now() as refilled_at
from public.dj_sessions as s
on conflict (topic) do nothing;

create function private.tg_notifications__realtime() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  perform private.rt_user_event(NEW.user_id, 'notification', jsonb_build_object(
    'id', NEW.id, 'kind', NEW.kind, 'actor_id', NEW.actor_id, 'session_id', NEW.session_id,
    'message_id', NEW.message_id, 'payload', NEW.payload, 'created_at', NEW.created_at
  ));
  return null;
end
$$;
comment on function private.tg_notifications__realtime() is 'Every new feed row reaches its user live on user:<id>.';
create trigger _600_realtime after insert on public.notifications
  for each row execute function private.tg_notifications__realtime();

create function private.tg_dj_bans__realtime() returns trigger
language plpgsql security definer
set search_path = ''
as $$
begin
  perform private.rt_user_event(NEW.user_id, 'moderation.applied', jsonb_build_object(
    'kind', NEW.kind, 'dj_id', NEW.dj_id, 'expires_at', NEW.expires_at, 'reason', NEW.reason
  ));
  return null;
end
$$;
comment on function private.tg_dj_bans__realtime() is 'A ban or timeout reaches the affected user live (their app leaves or mutes the room).';
create trigger _600_realtime after insert on public.dj_bans
  for each row execute function private.tg_dj_bans__realtime();
