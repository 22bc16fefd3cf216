-- FUNCTION: withdraw_request(uuid)
CREATE FUNCTION public.withdraw_request(p_item_id uuid) RETURNS public.queue_items
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  return hidden.withdraw_request(p_item_id);
end
$$;

-- COMMENT: FUNCTION withdraw_request(p_item_id uuid)
COMMENT ON FUNCTION public.withdraw_request(p_item_id uuid) IS 'Take back your own queued request (idempotent). Your later requests move up a turn.
Errors: LOGIN; P0002 not your request; QLOCK; STATE already playing or done.
Example: await supabase.rpc(''withdraw_request'', { p_item_id: itemId })';

-- ACL: FUNCTION withdraw_request(p_item_id uuid)
REVOKE ALL ON FUNCTION public.withdraw_request(p_item_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.withdraw_request(p_item_id uuid) TO authenticated;
