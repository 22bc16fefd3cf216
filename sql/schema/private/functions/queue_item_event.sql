-- FUNCTION: queue_item_event(public.queue_items)
CREATE FUNCTION private.queue_item_event(p_item public.queue_items) RETURNS jsonb
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    AS $$
begin
  return (
    select jsonb_build_object(
      'id', p_item.id, 'status', p_item.status, 'track_id', p_item.track_id, 'title', t.title, 'artist', t.artist,
      'duration_ms', t.duration_ms, 'artwork_url', t.artwork_url, 'verified', t.verified_at is not null,
      'requested_by', p_item.requested_by, 'upvotes', p_item.upvotes,
      'downvotes', p_item.downvotes, 'pinned', p_item.pin_order is not null, 'fair_round', p_item.fair_round,
      'rank_key', to_jsonb(p_item.rank_key), 'started_at', p_item.started_at, 'reason', p_item.decision_reason
    )
    from public.tracks as t where t.id = p_item.track_id
  );
end
$$;

-- COMMENT: FUNCTION queue_item_event(p_item public.queue_items)
COMMENT ON FUNCTION private.queue_item_event(p_item public.queue_items) IS 'The public state of a queue item, as queue.item events carry it.';

-- ACL: FUNCTION queue_item_event(p_item public.queue_items)
REVOKE ALL ON FUNCTION private.queue_item_event(p_item public.queue_items) FROM PUBLIC;
