-- FUNCTION: my_tip_balance()
CREATE FUNCTION hidden.my_tip_balance() RETURNS json
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO ''
    AS $$
  select coalesce(json_agg(json_build_object('currency', b.currency, 'available', b.available, 'held', b.held)
    order by b.currency), '[]')
  from (
    select e.currency,
      sum(e.amount) filter (where e.account = 'dj:' || u.id) as available,
      coalesce(sum(e.amount) filter (where e.account = 'dj_held:' || u.id), 0) as held
    from private.ledger_entries as e
    cross join (select hidden.require_user() as id) as u
    where e.account in ('dj:' || u.id, 'dj_held:' || u.id)
    group by e.currency
  ) as b
$$;

-- COMMENT: FUNCTION my_tip_balance()
COMMENT ON FUNCTION hidden.my_tip_balance() IS 'Implementation of my_tip_balance.';

-- ACL: FUNCTION my_tip_balance()
REVOKE ALL ON FUNCTION hidden.my_tip_balance() FROM PUBLIC;
GRANT ALL ON FUNCTION hidden.my_tip_balance() TO authenticated;
