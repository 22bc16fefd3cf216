-- FUNCTION: control_queue(uuid, public.queue_action, uuid, integer, text, uuid)
CREATE FUNCTION hidden.control_queue(p_session_id uuid, p_action public.queue_action, p_item_id uuid, p_position integer, p_reason text, p_expected_item_id uuid) RETURNS public.queue_items
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_session public.dj_sessions := private.require_queue_team(p_session_id);
  v_item public.queue_items;
  v_pinned uuid[];
  v_playing uuid;
begin
  if p_action is null then
    raise exception 'p_action is required.' using errcode = '22023', hint = 'Pass one of the queue_action values.';
  end if;
  if p_expected_item_id is not null then
    if p_action not in ('play', 'advance', 'finish', 'skip') then
      raise exception 'p_expected_item_id applies only to play, advance, finish and skip.'
        using errcode = '22023', hint = 'Leave p_expected_item_id out for this action.';
    end if;
    -- Lock what plays now: a concurrent control of the same track waits here, and then finds it
    -- no longer playing (READ COMMITTED re-checks the locked row).
    select q.id into v_playing from public.queue_items as q
    where q.session_id = p_session_id and q.status = 'playing'
    for update;
    if v_playing is distinct from p_expected_item_id then
      -- Someone already moved on (or this request already ran): change nothing, answer the state.
      select * into v_item from public.queue_items as q where q.session_id = p_session_id and q.status = 'playing';
      return v_item;
    end if;
  end if;
  if p_action in ('play', 'play_next', 'pin', 'unpin', 'move', 'reject') then
    select * into v_item from public.queue_items as q where q.id = p_item_id and q.session_id = p_session_id;
    if v_item.id is null then
      raise sqlstate 'PGRST' using
        message = hidden.api_error('P0002', 'No such request in this session.', 'Check the item id.'),
        detail = hidden.api_response('P0002');
    elsif v_item.status <> 'queued' then
      raise sqlstate 'PGRST' using
        message = hidden.api_error('STATE', 'That request is not waiting in the queue.', 'Refresh the queue.'),
        detail = hidden.api_response('STATE');
    end if;
  end if;
  if p_action = 'advance' then  -- play the top of the queue
    select * into v_item from public.queue_items as q
    where q.session_id = p_session_id and q.status = 'queued' order by q.rank_key, q.id limit 1;
  end if;
  case p_action
    when 'play', 'advance' then
      perform private.finish_playing(p_session_id, 'played', null);
      if v_item.id is null then
        return null;  -- advance on an empty queue: nothing playing now
      end if;
      update public.queue_items as q set status = 'playing', started_at = now(), pin_order = null
      where q.id = v_item.id returning * into v_item;
    when 'finish' then
      perform private.finish_playing(p_session_id, 'played', null);
    when 'skip' then
      if not exists (select 1 from public.queue_items as q where q.session_id = p_session_id and q.status = 'playing') then
        raise sqlstate 'PGRST' using
          message = hidden.api_error('IDLEQ', 'Nothing is playing.', 'Play a track first.'),
          detail = hidden.api_response('IDLEQ');
      end if;
      perform private.finish_playing(p_session_id, 'skipped', coalesce(p_reason, 'skipped by the DJ'));
    when 'reject' then
      update public.queue_items as q
      set status = 'rejected', ended_at = now(), decided_by = auth.uid(), decision_reason = p_reason
      where q.id = v_item.id returning * into v_item;
    else  -- play_next, pin, unpin, move: rewrite the manual block's order 1..n
      select coalesce(array_agg(q.id order by q.pin_order, q.id), '{}') into v_pinned from public.queue_items as q
      where q.session_id = p_session_id and q.status = 'queued' and q.pin_order is not null and q.id <> v_item.id;
      v_pinned := case p_action
        when 'play_next' then array[v_item.id] || v_pinned
        when 'pin' then v_pinned || v_item.id
        when 'move' then v_pinned[1:greatest(least(coalesce(p_position, 1), cardinality(v_pinned) + 1), 1) - 1]
          || v_item.id || v_pinned[greatest(least(coalesce(p_position, 1), cardinality(v_pinned) + 1), 1):]
        else v_pinned
      end;
      update public.queue_items as q
      set pin_order = array_position(v_pinned, q.id),
        rank_key = public.queue_rank_key_v1(v_session.queue_policy, array_position(v_pinned, q.id),
          q.upvotes - q.downvotes, q.boost, (hidden.setting('tip_boost_cap'))::integer, q.fair_round, q.requested_at)
      where q.session_id = p_session_id and q.status = 'queued'
        and (q.pin_order is not null or q.id = v_item.id);
      select * into v_item from public.queue_items as q where q.id = v_item.id;
  end case;
  return v_item;
end
$$;

-- COMMENT: FUNCTION control_queue(p_session_id uuid, p_action public.queue_action, p_item_id uuid, p_position integer, p_reason text, p_expected_item_id uuid)
COMMENT ON FUNCTION hidden.control_queue(p_session_id uuid, p_action public.queue_action, p_item_id uuid, p_position integer, p_reason text, p_expected_item_id uuid) IS 'Implementation of public.control_queue.';

-- ACL: FUNCTION control_queue(p_session_id uuid, p_action public.queue_action, p_item_id uuid, p_position integer, p_reason text, p_expected_item_id uuid)
REVOKE ALL ON FUNCTION hidden.control_queue(p_session_id uuid, p_action public.queue_action, p_item_id uuid, p_position integer, p_reason text, p_expected_item_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.control_queue(p_session_id uuid, p_action public.queue_action, p_item_id uuid, p_position integer, p_reason text, p_expected_item_id uuid) TO authenticated;
