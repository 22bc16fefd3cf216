-- FUNCTION: tg_dj_sessions__fanout()
CREATE FUNCTION private.tg_dj_sessions__fanout() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
begin
  if NEW.status = 'live' and (TG_OP = 'INSERT' or OLD.status is distinct from 'live') then
    perform private.enqueue_job('push:fanout_live', jsonb_build_object('session_id', NEW.id), 'push',
      'fanout:' || NEW.id);
  end if;
  return null;
end
$$;

-- COMMENT: FUNCTION tg_dj_sessions__fanout()
COMMENT ON FUNCTION private.tg_dj_sessions__fanout() IS 'A session going live enqueues the fan-out to the DJ''s followers.';

-- ACL: FUNCTION tg_dj_sessions__fanout()
REVOKE ALL ON FUNCTION private.tg_dj_sessions__fanout() FROM PUBLIC;
