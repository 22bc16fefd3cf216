-- FUNCTION: session_supporters(uuid, integer)
CREATE FUNCTION hidden.session_supporters(p_session_id uuid, p_limit integer) RETURNS TABLE(tipper_id uuid, handle text, display_name text, currency text, total bigint, tips bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select t.tipper_id, p.handle, coalesce(p.display_name, 'Deleted user'), t.currency,
    sum(t.amount - t.amount_refunded - t.amount_lost)::bigint, count(*)
  from public.tips as t
  left join public.profiles as p on p.id = t.tipper_id
  where t.session_id = p_session_id and t.status in ('succeeded', 'refunded')
  group by t.tipper_id, p.handle, p.display_name, t.currency
  having sum(t.amount - t.amount_refunded - t.amount_lost) > 0
  order by 5 desc, 6 desc, 1
  limit least(greatest(coalesce(p_limit, 10), 1), 100)
$$;

-- COMMENT: FUNCTION session_supporters(p_session_id uuid, p_limit integer)
COMMENT ON FUNCTION hidden.session_supporters(p_session_id uuid, p_limit integer) IS 'Implementation of session_supporters.';

-- ACL: FUNCTION session_supporters(p_session_id uuid, p_limit integer)
REVOKE ALL ON FUNCTION hidden.session_supporters(p_session_id uuid, p_limit integer) FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.session_supporters(p_session_id uuid, p_limit integer) TO authenticated;
