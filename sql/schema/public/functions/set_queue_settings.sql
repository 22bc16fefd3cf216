-- FUNCTION: set_queue_settings(uuid, public.queue_policy, boolean, boolean, boolean, integer, integer, public.skip_mode, integer, numeric)
CREATE FUNCTION public.set_queue_settings(p_session_id uuid, p_policy public.queue_policy DEFAULT 'hybrid'::public.queue_policy, p_requests_open boolean DEFAULT true, p_locked boolean DEFAULT false, p_allow_explicit boolean DEFAULT true, p_max_track_seconds integer DEFAULT NULL::integer, p_request_limit integer DEFAULT 3, p_skip_mode public.skip_mode DEFAULT 'percent'::public.skip_mode, p_skip_percent integer DEFAULT 50, p_skip_log_factor numeric DEFAULT 3) RETURNS public.dj_sessions
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_row public.dj_sessions;
begin
  perform hidden.require_user();
  if not hidden.can_moderate_session(p_session_id) then
    raise exception 'Only the DJ and their team set the queue rules.' using errcode = '42501', hint = 'Ask the DJ.';
  end if;
  update public.dj_sessions as s
  set queue_policy = p_policy, requests_open = p_requests_open, queue_locked = p_locked, allow_explicit = p_allow_explicit,
    max_track_seconds = p_max_track_seconds, request_limit = p_request_limit, skip_mode = p_skip_mode,
    skip_percent = p_skip_percent, skip_log_factor = p_skip_log_factor
  where s.id = p_session_id
  returning * into v_row;
  perform hidden.require_session_change(v_row.id is not null, p_session_id);
  return v_row;
end
$$;

-- COMMENT: FUNCTION set_queue_settings(p_session_id uuid, p_policy public.queue_policy, p_requests_open boolean, p_locked boolean, p_allow_explicit boolean, p_max_track_seconds integer, p_request_limit integer, p_skip_mode public.skip_mode, p_skip_percent integer, p_skip_log_factor numeric)
COMMENT ON FUNCTION public.set_queue_settings(p_session_id uuid, p_policy public.queue_policy, p_requests_open boolean, p_locked boolean, p_allow_explicit boolean, p_max_track_seconds integer, p_request_limit integer, p_skip_mode public.skip_mode, p_skip_percent integer, p_skip_log_factor numeric) IS 'Set the queue rules (DJ and team): ordering policy (votes, fair_share, hybrid; re-ranks at once), requests open, locked (listeners can neither request, vote nor withdraw), explicit allowed, longest track, open requests per listener, vote-to-skip mode and threshold. Returns the session.
Errors: LOGIN; P0002; 42501; ENDED; 22023.
Example: await supabase.rpc(''set_queue_settings'', { p_session_id: id, p_policy: ''fair_share'', p_skip_mode: ''log'' })';

-- ACL: FUNCTION set_queue_settings(p_session_id uuid, p_policy public.queue_policy, p_requests_open boolean, p_locked boolean, p_allow_explicit boolean, p_max_track_seconds integer, p_request_limit integer, p_skip_mode public.skip_mode, p_skip_percent integer, p_skip_log_factor numeric)
REVOKE ALL ON FUNCTION public.set_queue_settings(p_session_id uuid, p_policy public.queue_policy, p_requests_open boolean, p_locked boolean, p_allow_explicit boolean, p_max_track_seconds integer, p_request_limit integer, p_skip_mode public.skip_mode, p_skip_percent integer, p_skip_log_factor numeric) FROM PUBLIC;
GRANT ALL ON FUNCTION public.set_queue_settings(p_session_id uuid, p_policy public.queue_policy, p_requests_open boolean, p_locked boolean, p_allow_explicit boolean, p_max_track_seconds integer, p_request_limit integer, p_skip_mode public.skip_mode, p_skip_percent integer, p_skip_log_factor numeric) TO authenticated;
