/*
 * queue-hostile-arguments: two queue RPCs answer 22023 (or use their default) for arguments they
 * could not handle, instead of PostgreSQL's internals (issue 17 §4).
 *
 * - queue_rank_key_v1 is an RPC (the app may compute an order itself); it failed with 0A000
 *   "cannot convert infinity to bigint" for an infinite p_requested_at, and 22003 "integer out
 *   of range" when p_score plus the boost passed the integer range. Now the vote keys are summed
 *   as bigint (the same value for every in-range sum, so no stored rank_key changes) and a
 *   p_requested_at whose microseconds since 1970 do not fit a bigint (±infinity, or past year
 *   294,000) is refused with 22023. Body otherwise copied from
 *   20261202080300_foundation-helpers-keep-their-plans.sql.
 * - cast_vote with an explicit JSON null for p_value (whose default is 1) reached the insert into
 *   queue_votes: 23502 "Failing row contains (...)". The wrapper now passes coalesce(p_value, 1),
 *   as omitting it does. Body otherwise copied from 20261202080400_foundation-rpcs-keep-their-plans.sql.
 */

-- RPCs -----------------------------------------------------------------------------------------

create or replace function public.queue_rank_key_v1(
  p_policy public.queue_policy, p_pin_order integer, p_score integer, p_boost integer, p_boost_cap integer,
  p_fair_round integer, p_requested_at timestamptz
) returns bigint[]
language plpgsql immutable parallel safe
set search_path = ''
as $$
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

create or replace function public.cast_vote(p_item_id uuid, p_value integer default 1) returns public.queue_items
language plpgsql volatile
set search_path = ''
as $$
begin
  return hidden.cast_vote(p_item_id, coalesce(p_value, 1));
end
$$;
