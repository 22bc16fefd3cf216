-- FUNCTION: finish_playing(uuid, public.queue_status, text)
CREATE FUNCTION private.finish_playing(p_session_id uuid, p_outcome public.queue_status, p_reason text) RETURNS void
    LANGUAGE sql
    SET search_path TO ''
    AS $$
  update public.queue_items as q
  set status = p_outcome, ended_at = now(), decision_reason = p_reason,
    decided_by = case when p_outcome = 'skipped' then auth.uid() end
  where q.session_id = p_session_id and q.status = 'playing'
$$;

-- COMMENT: FUNCTION finish_playing(p_session_id uuid, p_outcome public.queue_status, p_reason text)
COMMENT ON FUNCTION private.finish_playing(p_session_id uuid, p_outcome public.queue_status, p_reason text) IS 'End whatever is playing in a session as played or skipped (logged to session_plays by trigger).';

-- ACL: FUNCTION finish_playing(p_session_id uuid, p_outcome public.queue_status, p_reason text)
REVOKE ALL ON FUNCTION private.finish_playing(p_session_id uuid, p_outcome public.queue_status, p_reason text) FROM PUBLIC;
