-- FUNCTION: cast_vote(uuid, integer)
CREATE FUNCTION public.cast_vote(p_item_id uuid, p_value integer DEFAULT 1) RETURNS public.queue_items
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  return hidden.cast_vote(p_item_id, coalesce(p_value, 1));
end
$$;

-- COMMENT: FUNCTION cast_vote(p_item_id uuid, p_value integer)
COMMENT ON FUNCTION public.cast_vote(p_item_id uuid, p_value integer) IS 'Vote on a queued (or the playing) track: 1 up, -1 down, 0 to withdraw. One vote per listener per item; changing it replaces it; repeating it changes nothing. Returns the item with its exact counts.
Errors: LOGIN; ANONY; P0002 no such item; ENDED; BANND banned/timed out; NOTIN join first; QLOCK locked; STATE voting over; 22023 bad value.
Example: await supabase.rpc(''cast_vote'', { p_item_id: itemId, p_value: 1 })';

-- ACL: FUNCTION cast_vote(p_item_id uuid, p_value integer)
REVOKE ALL ON FUNCTION public.cast_vote(p_item_id uuid, p_value integer) FROM PUBLIC;
GRANT ALL ON FUNCTION public.cast_vote(p_item_id uuid, p_value integer) TO authenticated;
