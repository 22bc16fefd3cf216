-- FUNCTION: tg_queue_items__status()
CREATE FUNCTION private.tg_queue_items__status() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if NEW.requested_by is not null then
    perform private.rerank_requester(NEW.session_id, NEW.requested_by);
  end if;
  if OLD.status = 'playing' then
    insert into public.session_plays (session_id, item_id, track_id, requested_by, outcome, started_at, ended_at,
      upvotes, downvotes, skip_votes, reason)
    values (NEW.session_id, NEW.id, NEW.track_id, NEW.requested_by, NEW.status::text, OLD.started_at, NEW.ended_at,
      NEW.upvotes, NEW.downvotes, NEW.skip_votes, NEW.decision_reason);
  end if;
  return null;
end
$$;

-- COMMENT: FUNCTION tg_queue_items__status()
COMMENT ON FUNCTION private.tg_queue_items__status() IS 'After an item changes status: re-number its requester''s fair rounds; a finished play is appended to session_plays.';

-- ACL: FUNCTION tg_queue_items__status()
REVOKE ALL ON FUNCTION private.tg_queue_items__status() FROM PUBLIC;
