-- FUNCTION: rt_target_delivery(text, integer, boolean)
CREATE FUNCTION private.rt_target_delivery(p_current text, p_listeners integer, p_cdn boolean) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  -- Hysteresis at both thresholds: push -> pull from realtime_pull_min_listeners, back at
  -- realtime_push_max_listeners; pull -> cdn (a public room while the lane works) from
  -- realtime_cdn_min_listeners, back at realtime_cdn_exit_listeners.
  if p_cdn and (p_listeners >= (hidden.setting('realtime_cdn_min_listeners'))::integer
      or (p_current = 'cdn' and p_listeners > (hidden.setting('realtime_cdn_exit_listeners'))::integer)) then
    return 'cdn';
  end if;
  return case
    when p_current in ('pull', 'cdn') then
      case when p_listeners <= (hidden.setting('realtime_push_max_listeners'))::integer then 'push' else 'pull' end
    when p_listeners >= (hidden.setting('realtime_pull_min_listeners'))::integer then 'pull'
    else 'push'
  end;
end
$$;

-- COMMENT: FUNCTION rt_target_delivery(p_current text, p_listeners integer, p_cdn boolean)
COMMENT ON FUNCTION private.rt_target_delivery(p_current text, p_listeners integer, p_cdn boolean) IS 'The delivery mode a room in mode p_current with p_listeners present listeners should be in; p_cdn: the room may use the cdn lane (public, and the lane works).';

-- ACL: FUNCTION rt_target_delivery(p_current text, p_listeners integer, p_cdn boolean)
REVOKE ALL ON FUNCTION private.rt_target_delivery(p_current text, p_listeners integer, p_cdn boolean) FROM PUBLIC;
