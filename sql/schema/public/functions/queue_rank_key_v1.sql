-- FUNCTION: queue_rank_key_v1(public.queue_policy, integer, integer, integer, integer, integer, timestamp with time zone)
CREATE FUNCTION public.queue_rank_key_v1(p_policy public.queue_policy, p_pin_order integer, p_score integer, p_boost integer, p_boost_cap integer, p_fair_round integer, p_requested_at timestamp with time zone) RETURNS bigint[]
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO ''
    AS $$
begin
  if not isfinite(p_requested_at) or abs(extract(epoch from p_requested_at)) >= 9223372036854 then
    raise exception 'p_requested_at must be a finite time before the year 294000.'
      using errcode = '22023', hint = 'Pass the item''s requested_at.';
  end if;
  return array[
    case when p_pin_order is null then 1 else 0 end,
    coalesce(p_pin_order, 0),
    case p_policy when 'votes' then -(p_score::bigint + least(greatest(p_boost, 0), p_boost_cap)) else p_fair_round end,
    case p_policy when 'hybrid' then -(p_score::bigint + least(greatest(p_boost, 0), p_boost_cap)) else 0 end,
    (extract(epoch from p_requested_at) * 1000000)::bigint
  ]::bigint [];
end
$$;

-- COMMENT: FUNCTION queue_rank_key_v1(p_policy public.queue_policy, p_pin_order integer, p_score integer, p_boost integer, p_boost_cap integer, p_fair_round integer, p_requested_at timestamp with time zone)
COMMENT ON FUNCTION public.queue_rank_key_v1(p_policy public.queue_policy, p_pin_order integer, p_score integer, p_boost integer, p_boost_cap integer, p_fair_round integer, p_requested_at timestamp with time zone) IS 'The queue order, version 1 (pure): items sort by this key ascending, then by id. [not pinned, pin order, policy key, hybrid vote key, requested_at in microseconds]. See docs/queue-ranking.md.
Example: const { data } = await supabase.rpc(''queue_rank_key_v1'', { p_policy: ''hybrid'', p_pin_order: null, p_score: 3, p_boost: 0, p_boost_cap: 5, p_fair_round: 1, p_requested_at: t })';

-- ACL: FUNCTION queue_rank_key_v1(p_policy public.queue_policy, p_pin_order integer, p_score integer, p_boost integer, p_boost_cap integer, p_fair_round integer, p_requested_at timestamp with time zone)
REVOKE ALL ON FUNCTION public.queue_rank_key_v1(p_policy public.queue_policy, p_pin_order integer, p_score integer, p_boost integer, p_boost_cap integer, p_fair_round integer, p_requested_at timestamp with time zone) FROM PUBLIC;
GRANT ALL ON FUNCTION public.queue_rank_key_v1(p_policy public.queue_policy, p_pin_order integer, p_score integer, p_boost integer, p_boost_cap integer, p_fair_round integer, p_requested_at timestamp with time zone) TO authenticated;
