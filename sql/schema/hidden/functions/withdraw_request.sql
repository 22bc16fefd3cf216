-- FUNCTION: withdraw_request(uuid)
CREATE FUNCTION hidden.withdraw_request(p_item_id uuid) RETURNS public.queue_items
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO ''
    AS $$
declare
  v_uid uuid := hidden.require_user();
  v_item public.queue_items;
  v_session public.dj_sessions;
begin
  select * into v_item from public.queue_items as q where q.id = p_item_id;
  if v_item.id is null or v_item.requested_by is distinct from v_uid then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('P0002', 'No such request of yours.', 'You can withdraw only your own requests.'),
      detail = hidden.api_response('P0002');
  end if;
  select * into v_session from public.dj_sessions as s where s.id = v_item.session_id;
  if v_session.queue_locked and v_uid <> v_session.dj_id then
    raise sqlstate 'PGRST' using
      message = hidden.api_error('QLOCK', 'The DJ locked the queue.', 'Wait for the DJ to unlock it.'),
      detail = hidden.api_response('QLOCK');
  end if;
  if v_item.status = 'withdrawn' then
    return v_item;
  elsif v_item.status <> 'queued' then
    raise sqlstate 'PGRST' using
      message = hidden.api_error(
        'STATE',
        'This request is no longer waiting.',
        'Only queued requests can be withdrawn.'
      ),
      detail = hidden.api_response('STATE');
  end if;
  update public.queue_items as q set status = 'withdrawn', ended_at = now() where q.id = p_item_id returning * into v_item;
  return v_item;
end
$$;

-- COMMENT: FUNCTION withdraw_request(p_item_id uuid)
COMMENT ON FUNCTION hidden.withdraw_request(p_item_id uuid) IS 'Implementation of public.withdraw_request.';

-- ACL: FUNCTION withdraw_request(p_item_id uuid)
REVOKE ALL ON FUNCTION hidden.withdraw_request(p_item_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.withdraw_request(p_item_id uuid) TO authenticated;
