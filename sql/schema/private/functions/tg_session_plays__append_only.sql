-- FUNCTION: tg_session_plays__append_only()
CREATE FUNCTION private.tg_session_plays__append_only() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  if TG_OP = 'UPDATE' and NEW.requested_by is null
    and (NEW.id, NEW.session_id, NEW.item_id, NEW.track_id, NEW.outcome, NEW.started_at, NEW.ended_at,
      NEW.upvotes, NEW.downvotes, NEW.skip_votes, NEW.reason)
    is not distinct from (OLD.id, OLD.session_id, OLD.item_id, OLD.track_id, OLD.outcome, OLD.started_at,
      OLD.ended_at, OLD.upvotes, OLD.downvotes, OLD.skip_votes, OLD.reason) then
    return NEW;
  end if;
  raise sqlstate 'PGRST' using
    message = hidden.api_error(
      'NOEDT',
      'The play log is append-only.',
      'Only detaching a deleted requester is allowed.'
    ),
    detail = hidden.api_response('NOEDT');
end
$$;

-- COMMENT: FUNCTION tg_session_plays__append_only()
COMMENT ON FUNCTION private.tg_session_plays__append_only() IS 'Refuses any change to the play log except setting requested_by to NULL (account erasure).';

-- ACL: FUNCTION tg_session_plays__append_only()
REVOKE ALL ON FUNCTION private.tg_session_plays__append_only() FROM PUBLIC;
