-- FUNCTION: rerank_requester(uuid, uuid)
CREATE FUNCTION private.rerank_requester(p_session_id uuid, p_requester uuid) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  -- A requester's queued items get rounds turns + 0, 1, 2... in request order.
  with turns as (
    select count(*)::integer as n from public.queue_items as q
    where q.session_id = p_session_id and q.requested_by = p_requester and q.status in ('playing', 'played', 'skipped')
  ), ordered as (
    select q.id, (row_number() over (order by q.requested_at, q.id))::integer - 1 as position
    from public.queue_items as q
    where q.session_id = p_session_id and q.requested_by = p_requester and q.status = 'queued'
  )
  update public.queue_items as q
  set fair_round = turns.n + ordered.position,
    rank_key = public.queue_rank_key_v1(s.queue_policy, q.pin_order, q.upvotes - q.downvotes, q.boost,
      (select (c.value)::integer from private.settings as c where c.key = 'tip_boost_cap'), turns.n + ordered.position,
      q.requested_at)
  from ordered, turns, public.dj_sessions as s
  where q.id = ordered.id and s.id = q.session_id and q.fair_round is distinct from turns.n + ordered.position;
end
$$;

-- COMMENT: FUNCTION rerank_requester(p_session_id uuid, p_requester uuid)
COMMENT ON FUNCTION private.rerank_requester(p_session_id uuid, p_requester uuid) IS 'Recompute fair rounds (and rank keys) of one requester''s queued items in a session.';

-- ACL: FUNCTION rerank_requester(p_session_id uuid, p_requester uuid)
REVOKE ALL ON FUNCTION private.rerank_requester(p_session_id uuid, p_requester uuid) FROM PUBLIC;
