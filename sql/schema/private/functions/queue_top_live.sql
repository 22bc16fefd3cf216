-- FUNCTION: queue_top_live(uuid, integer)
CREATE FUNCTION private.queue_top_live(p_session_id uuid, p_limit integer DEFAULT 50) RETURNS json
    LANGUAGE plpgsql STABLE
    SET search_path TO ''
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
declare
  v_top json;
begin
  -- One statement builds the JSON array the app receives (rows shaped as public.queue_entry):
  -- the top rows from the rank index, then one index probe per row for its track and requester
  -- (LIMIT 1 keeps each LATERAL a per-row lookup: never a join over the whole catalogue).
  select coalesce(json_agg(e order by e.position), '[]') into v_top
  from (
    select q.position, q.id as item_id, q.status, t.id as track_id, t.title, t.artist, t.duration_ms, t.artwork_url,
      t.explicit, q.requested_by, p.handle as requester_handle, q.upvotes, q.downvotes,
      q.pin_order is not null as pinned, q.fair_round, q.rank_key, q.requested_at, t.verified_at is not null as verified
    from (
      select qi.*, (row_number() over (order by qi.rank_key, qi.id))::integer as position
      from public.queue_items as qi
      where qi.session_id = p_session_id and qi.status = 'queued'
      order by qi.rank_key, qi.id
      limit least(greatest(coalesce(p_limit, 50), 1), 200)
    ) as q
    cross join lateral (select tr.* from public.tracks as tr where tr.id = q.track_id limit 1) as t
    left join lateral (select pr.handle from public.profiles as pr where pr.id = q.requested_by limit 1) as p on true
  ) as e;
  return v_top;
end
$$;

-- COMMENT: FUNCTION queue_top_live(p_session_id uuid, p_limit integer)
COMMENT ON FUNCTION private.queue_top_live(p_session_id uuid, p_limit integer) IS 'The next p_limit (1-200) queued tracks as a JSON array of queue_entry objects (position 1 plays next), read from the rank index and one probe per row for its track and requester.';

-- ACL: FUNCTION queue_top_live(p_session_id uuid, p_limit integer)
REVOKE ALL ON FUNCTION private.queue_top_live(p_session_id uuid, p_limit integer) FROM PUBLIC;
