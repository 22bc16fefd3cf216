-- FUNCTION: rt_target_delivery(text, integer)
CREATE FUNCTION private.rt_target_delivery(p_current text, p_listeners integer) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  -- Hysteresis: a push room becomes a pull room from realtime_pull_min_listeners and goes back at
  -- realtime_push_max_listeners, so a room hovering at the threshold does not flap.
  return case
    when p_current = 'pull' then
      case when p_listeners <= (hidden.setting('realtime_push_max_listeners'))::integer then 'push' else 'pull' end
    when p_listeners >= (hidden.setting('realtime_pull_min_listeners'))::integer then 'pull'
    else 'push'
  end;
end
$$;

-- COMMENT: FUNCTION rt_target_delivery(p_current text, p_listeners integer)
COMMENT ON FUNCTION private.rt_target_delivery(p_current text, p_listeners integer) IS 'The delivery mode a room in mode p_current with p_listeners present listeners should be in.';

-- ACL: FUNCTION rt_target_delivery(p_current text, p_listeners integer)
REVOKE ALL ON FUNCTION private.rt_target_delivery(p_current text, p_listeners integer) FROM PUBLIC;
