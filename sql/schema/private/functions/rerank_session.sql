-- FUNCTION: rerank_session(uuid)
CREATE FUNCTION private.rerank_session(p_session_id uuid) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
begin
  update public.queue_items as q
  set rank_key = public.queue_rank_key_v1(s.queue_policy, q.pin_order, q.upvotes - q.downvotes, q.boost,
    (select (c.value)::integer from private.settings as c where c.key = 'tip_boost_cap'), q.fair_round, q.requested_at)
  from public.dj_sessions as s
  where s.id = q.session_id and q.session_id = p_session_id and q.status = 'queued';
end
$$;

-- COMMENT: FUNCTION rerank_session(p_session_id uuid)
COMMENT ON FUNCTION private.rerank_session(p_session_id uuid) IS 'Recompute every queued item''s rank key (after a policy change).';

-- ACL: FUNCTION rerank_session(p_session_id uuid)
REVOKE ALL ON FUNCTION private.rerank_session(p_session_id uuid) FROM PUBLIC;
