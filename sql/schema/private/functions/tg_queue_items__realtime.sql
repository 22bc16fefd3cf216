-- FUNCTION: tg_queue_items__realtime()
CREATE FUNCTION private.tg_queue_items__realtime() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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

-- COMMENT: FUNCTION tg_queue_items__realtime()
COMMENT ON FUNCTION private.tg_queue_items__realtime() IS 'Queue changes the room sees: queue.item (new requests batched in big rooms), now_playing, queue.votes and queue.skip (batched); the requester is notified when their request starts.';

-- ACL: FUNCTION tg_queue_items__realtime()
REVOKE ALL ON FUNCTION private.tg_queue_items__realtime() FROM PUBLIC;
