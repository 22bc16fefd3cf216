-- FUNCTION: ledger_check()
CREATE FUNCTION private.ledger_check() RETURNS TABLE(tip_id uuid, problem text)
    LANGUAGE sql STABLE
    SET search_path TO ''
    AS $$
  select e.tip_id, 'movement ' || e.movement || ' sums to ' || sum(e.amount)
  from private.ledger_entries as e group by e.tip_id, e.movement having sum(e.amount) <> 0
  union all
  -- What Stripe holds for a tip must be what was paid, less refunds and lost disputes.
  select t.id, 'stripe side ' || x.held || ' <> expected ' || x.expected
  from public.tips as t
  cross join lateral (
    select
      coalesce((select -sum(e.amount) from private.ledger_entries as e where e.tip_id = t.id and e.account = 'stripe'), 0)
        as held,
      case when t.status in ('succeeded', 'refunded') then t.amount else 0 end - t.amount_refunded - t.amount_lost
        as expected
  ) as x
  where x.held <> x.expected
  union all
  -- The split: the platform keeps its fee less round(fee * given back / amount), the DJ (available
  -- and held) the rest of what Stripe holds. Catches a drift of one unit that balances.
  select t.id, 'split dj ' || x.dj || ' / platform fees ' || x.fees || ' <> expected ' || x.dj_expected || ' / '
    || x.fees_expected
  from public.tips as t
  cross join lateral (
    select
      coalesce(sum(e.amount) filter (where e.account like 'dj%'), 0) as dj,
      coalesce(sum(e.amount) filter (where e.account = 'platform_fees'), 0) as fees
    from private.ledger_entries as e where e.tip_id = t.id
  ) as b
  cross join lateral (
    select
      case when t.status in ('succeeded', 'refunded') then t.fee_amount else 0 end
        - round(t.fee_amount::numeric * (t.amount_refunded + t.amount_lost) / t.amount) as share_kept
  ) as k
  cross join lateral (
    select b.dj, b.fees, k.share_kept as fees_expected,
      case when t.status in ('succeeded', 'refunded') then t.amount else 0 end - t.amount_refunded - t.amount_lost
        - k.share_kept as dj_expected
  ) as x
  where x.dj <> x.dj_expected or x.fees <> x.fees_expected
  union all
  -- Held money belongs to an open dispute only.
  select t.id, 'held ' || h.held || ' while the dispute is ' || coalesce(t.dispute_status, 'absent')
  from public.tips as t
  cross join lateral (
    select coalesce(sum(e.amount), 0) as held from private.ledger_entries as e
    where e.tip_id = t.id and e.account like 'dj\_held:%'
  ) as h
  where h.held < 0 or (h.held <> 0 and (t.dispute_status is null or private.dispute_rank(t.dispute_status) = 5))
$$;

-- COMMENT: FUNCTION ledger_check()
COMMENT ON FUNCTION private.ledger_check() IS 'Every violation of the ledger''s invariants (empty when sound): unbalanced movements; tips whose Stripe side, or DJ/platform split, does not match their state (paid, refunded, lost; fee shares round(fee * given back / amount)); money held with no open dispute. One row per problem: (tip_id, problem).';

-- ACL: FUNCTION ledger_check()
REVOKE ALL ON FUNCTION private.ledger_check() FROM PUBLIC;
