-- FUNCTION: explain_rank(uuid)
CREATE FUNCTION public.explain_rank(p_item_id uuid) RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select jsonb_build_object(
    'item_id', q.id,
    'status', q.status,
    'position', case when q.status = 'queued' then 1 + (
      select count(*) from public.queue_items as o
      where o.session_id = q.session_id and o.status = 'queued' and (o.rank_key, o.id) < (q.rank_key, q.id)
    ) end,
    'policy', s.queue_policy,
    'ranking_version', 1,
    'pinned', q.pin_order is not null,
    'pin_order', q.pin_order,
    'score', q.upvotes - q.downvotes,
    'upvotes', q.upvotes,
    'downvotes', q.downvotes,
    'boost', least(q.boost, (hidden.setting('tip_boost_cap'))::integer),
    'boost_cap', (hidden.setting('tip_boost_cap'))::integer,
    'fair_round', q.fair_round,
    'requester_turns_taken', (
      select count(*) from public.queue_items as o
      where o.session_id = q.session_id and o.requested_by = q.requested_by and o.status in ('playing', 'played', 'skipped')
    ),
    'requester_request_number', (
      select count(*) from public.queue_items as o
      where o.session_id = q.session_id and o.requested_by = q.requested_by and (o.requested_at, o.id) <= (q.requested_at, q.id)
    ),
    'requested_at', q.requested_at,
    'rank_key', q.rank_key
  )
  from public.queue_items as q
  join public.dj_sessions as s on s.id = q.session_id
  where q.id = p_item_id
$$;

-- COMMENT: FUNCTION explain_rank(p_item_id uuid)
COMMENT ON FUNCTION public.explain_rank(p_item_id uuid) IS 'Why an item is where it is, in data the app can render ("3rd: +12 votes, your 2nd request"): position, policy, pinned, score and votes, capped boost, fair round, the requester''s turns taken and request number, and the rank key. NULL if you cannot see the item.
Example: const { data: why } = await supabase.rpc(''explain_rank'', { p_item_id: itemId })';

-- ACL: FUNCTION explain_rank(p_item_id uuid)
REVOKE ALL ON FUNCTION public.explain_rank(p_item_id uuid) FROM PUBLIC;
GRANT ALL ON FUNCTION public.explain_rank(p_item_id uuid) TO authenticated;
