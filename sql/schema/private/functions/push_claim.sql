-- FUNCTION: push_claim(integer)
CREATE FUNCTION private.push_claim(p_limit integer) RETURNS SETOF private.push_messages
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $$
declare
  v_stale text[] := array(
    select jsonb_array_elements_text(s.value) from private.settings as s where s.key = 'push_drop_stale_kinds'
  );
begin
  return query
  with due as (
    select m.device_id, m.collapse_key from private.push_messages as m
    where m.status = 'queued' and m.not_before <= now()
    order by m.not_before, m.id
    limit p_limit
    for update skip locked
  ),
  family as (  -- everything else waiting for the same device and key joins the burst
    select m.id, m.device_id, m.collapse_key from private.push_messages as m
    where m.status = 'queued' and m.not_before <= now()
      and (m.device_id, m.collapse_key) in (select d.device_id, d.collapse_key from due as d)
    for update skip locked
  ),
  groups as (
    select max(f.id) as keep, count(*)::integer as n, array_agg(f.id) as ids
    from family as f group by f.device_id, f.collapse_key
  ),
  folded as (
    update private.push_messages as m set status = 'collapsed', collapsed_into = g.keep
    from groups as g
    where m.id = any (g.ids) and m.id <> g.keep
  ),
  taken as (  -- the newest of a burst is sent, unless it is already past its useful life
    update private.push_messages as m
    set status = case when x.stale then 'expired' else 'sending' end::private.push_status,
      claimed_at = now(), posted_at = null,
      attempts = m.attempts + case when x.stale then 0 else 1 end,
      error = case when x.stale then 'older than its useful life' else m.error end,
      collapsed_count = m.collapsed_count - 1 + g.n
    from groups as g
    cross join lateral (
      select m2.kind::text = any (v_stale) and m2.created_at + make_interval(secs => m2.ttl_seconds) < now() as stale
      from private.push_messages as m2 where m2.id = g.keep
    ) as x
    where m.id = g.keep
    returning m.*
  )
  select t.* from taken as t where t.status = 'sending';
end
$$;

-- COMMENT: FUNCTION push_claim(p_limit integer)
COMMENT ON FUNCTION private.push_claim(p_limit integer) IS 'Take up to p_limit due messages to send (SKIP LOCKED: workers never share one); messages waiting for the same device and collapse key are folded into the newest (collapsed_count says how many it stands for). A message of a kind in push_drop_stale_kinds older than its ttl is marked expired instead, and not returned.';

-- ACL: FUNCTION push_claim(p_limit integer)
REVOKE ALL ON FUNCTION private.push_claim(p_limit integer) FROM PUBLIC;
