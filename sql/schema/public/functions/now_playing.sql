-- FUNCTION: now_playing(uuid)
CREATE FUNCTION public.now_playing(p_session_id uuid) RETURNS public.now_playing
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
declare
  v_row public.now_playing;
begin
  select q.id, t.id, t.title, t.artist, t.duration_ms, t.artwork_url, q.requested_by, q.started_at, now(),
    q.upvotes, q.downvotes, q.skip_votes, t.verified_at is not null
  into v_row
  from public.queue_items as q
  cross join lateral (select tr.* from public.tracks as tr where tr.id = q.track_id limit 1) as t
  where q.session_id = p_session_id and q.status = 'playing';
  return v_row;
end
$$;

-- COMMENT: FUNCTION now_playing(p_session_id uuid)
COMMENT ON FUNCTION public.now_playing(p_session_id uuid) IS 'What is playing, when it started and the server''s time, so clients sync progress without trusting their clock. NULL fields when nothing plays.
Example: const { data } = await supabase.rpc(''now_playing'', { p_session_id: id })';

-- ACL: FUNCTION now_playing(p_session_id uuid)
REVOKE ALL ON FUNCTION public.now_playing(p_session_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.now_playing(p_session_id uuid) TO authenticated;
