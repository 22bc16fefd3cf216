-- FUNCTION: vote_skip(uuid)
CREATE FUNCTION hidden.vote_skip(p_session_id uuid) RETURNS public.skip_status
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := hidden.require_user();
  v_session public.dj_sessions;
  v_item public.queue_items;
  v_needed integer;
begin
  select * into v_session from public.dj_sessions as s where s.id = p_session_id;
  perform private.require_queue_listener(v_session, v_uid);
  select * into v_item from public.queue_items as q where q.session_id = p_session_id and q.status = 'playing' for update;
  if v_item.id is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('IDLEQ', 'Nothing is playing.', 'Vote when a track is playing.'),
      detail = hidden.api_response('IDLEQ');
  end if;
  v_needed := public.queue_skip_threshold(v_session.skip_mode, v_session.skip_percent, v_session.skip_log_factor,
    v_session.listener_count);
  if v_needed is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('STATE', 'Vote-to-skip is off in this session.', 'The DJ can turn it on.'),
      detail = hidden.api_response('STATE');
  end if;
  insert into public.skip_votes (item_id, user_id) values (v_item.id, v_uid) on conflict do nothing;
  if found then
    update public.queue_items as q set skip_votes = q.skip_votes + 1 where q.id = v_item.id returning * into v_item;
  end if;
  if v_item.skip_votes >= v_needed then
    perform private.finish_playing(p_session_id, 'skipped',
      format('skipped by the room (%s of %s votes)', v_item.skip_votes, v_needed));
    return (v_item.id, v_item.skip_votes, v_needed, true)::public.skip_status;
  end if;
  return (v_item.id, v_item.skip_votes, v_needed, false)::public.skip_status;
end
$$;

-- COMMENT: FUNCTION vote_skip(p_session_id uuid)
COMMENT ON FUNCTION hidden.vote_skip(p_session_id uuid) IS 'Implementation of public.vote_skip.';

-- ACL: FUNCTION vote_skip(p_session_id uuid)
REVOKE ALL ON FUNCTION hidden.vote_skip(p_session_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.vote_skip(p_session_id uuid) TO authenticated;
