-- FUNCTION: cast_vote(uuid, integer)
CREATE FUNCTION hidden.cast_vote(p_item_id uuid, p_value integer) RETURNS public.queue_items
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
declare
  v_uid uuid := hidden.require_user();
  v_item public.queue_items;
  v_session public.dj_sessions;
  v_old smallint;
  v_up integer;
  v_down integer;
begin
  -- Votes are ephemeral signals: commit without waiting for the WAL flush (as chat; decisions.md).
  perform set_config('synchronous_commit', 'off', true);
  if p_value not in (-1, 0, 1) then
    raise exception 'A vote is 1, -1, or 0 to withdraw it.' using errcode = '22023', hint = 'Send p_value 1, -1 or 0.';
  end if;
  perform pg_advisory_xact_lock(hashtextextended('vote:' || v_uid, 0));
  select * into v_item from public.queue_items as q where q.id = p_item_id;
  select * into v_session from public.dj_sessions as s where s.id = v_item.session_id;
  if v_item.id is null then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such queue item.', 'Check the item id.'),
      detail = hidden.api_response('P0002');
  end if;
  perform private.require_queue_listener(v_session, v_uid);
  if v_item.status not in ('queued', 'playing') then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('STATE', 'Voting on this request is over.', 'Vote on queued or playing tracks.'),
      detail = hidden.api_response('STATE');
  end if;
  select v.value into v_old from public.queue_votes as v where v.item_id = p_item_id and v.user_id = v_uid;
  if coalesce(v_old, 0) = p_value then
    return v_item;  -- unchanged (a retry): nothing to write
  end if;
  if p_value = 0 then
    delete from public.queue_votes as v where v.item_id = p_item_id and v.user_id = v_uid;
  else
    insert into public.queue_votes (item_id, user_id, session_id, value) values (p_item_id, v_uid, v_item.session_id, p_value)
    on conflict (item_id, user_id) do update set value = excluded.value, voted_at = now();
  end if;
  v_up := (case when p_value = 1 then 1 else 0 end) - (case when v_old = 1 then 1 else 0 end);
  v_down := (case when p_value = -1 then 1 else 0 end) - (case when v_old = -1 then 1 else 0 end);
  update public.queue_items as q
  set upvotes = q.upvotes + v_up, downvotes = q.downvotes + v_down,
    rank_key = case when q.status = 'queued' then public.queue_rank_key_v1(v_session.queue_policy, q.pin_order,
      q.upvotes + v_up - q.downvotes - v_down, q.boost,
      (select (c.value)::integer from private.settings as c where c.key = 'tip_boost_cap'), q.fair_round, q.requested_at)
      else q.rank_key end
  where q.id = p_item_id
  returning * into v_item;
  return v_item;
end
$$;

-- COMMENT: FUNCTION cast_vote(p_item_id uuid, p_value integer)
COMMENT ON FUNCTION hidden.cast_vote(p_item_id uuid, p_value integer) IS 'Implementation of public.cast_vote.';

-- ACL: FUNCTION cast_vote(p_item_id uuid, p_value integer)
REVOKE ALL ON FUNCTION hidden.cast_vote(p_item_id uuid, p_value integer) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.cast_vote(p_item_id uuid, p_value integer) TO authenticated;
