-- FUNCTION: tg_dj_sessions__realtime()
CREATE FUNCTION private.tg_dj_sessions__realtime() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
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

-- COMMENT: FUNCTION tg_dj_sessions__realtime()
COMMENT ON FUNCTION private.tg_dj_sessions__realtime() IS 'A new session gets its topic; changes the room sees: session.status, session.updated, session.announcement (at once), presence.count (batched).';

-- ACL: FUNCTION tg_dj_sessions__realtime()
REVOKE ALL ON FUNCTION private.tg_dj_sessions__realtime() FROM PUBLIC;
