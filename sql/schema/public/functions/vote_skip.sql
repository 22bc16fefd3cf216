-- FUNCTION: vote_skip(uuid)
CREATE FUNCTION public.vote_skip(p_session_id uuid) RETURNS public.skip_status
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  return hidden.vote_skip(p_session_id);
end
$$;

-- COMMENT: FUNCTION vote_skip(p_session_id uuid)
COMMENT ON FUNCTION public.vote_skip(p_session_id uuid) IS 'Vote to skip the playing track (once per track). When votes reach the threshold for the present listener count (see queue_skip_threshold), the track is skipped. Returns {item_id, votes, needed, skipped}.
Errors: LOGIN; ANONY; P0002; ENDED; BANND; NOTIN; QLOCK; IDLEQ nothing playing; STATE skipping is off.
Example: const { data } = await supabase.rpc(''vote_skip'', { p_session_id: id })';

-- ACL: FUNCTION vote_skip(p_session_id uuid)
REVOKE ALL ON FUNCTION public.vote_skip(p_session_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.vote_skip(p_session_id uuid) TO authenticated;
