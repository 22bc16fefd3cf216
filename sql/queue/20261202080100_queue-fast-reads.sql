/*
 * queue-fast-reads: reading the queue costs the rows read, whatever the catalogue or queue holds.
 *
 * queue_top's track and requester lookups were LATERAL subqueries simple enough for the planner
 * to pull up into plain joins, and on its generic plan (an estimate of 272 queued rows) it
 * hash-joined a sequential scan of the whole catalogue: 1.6 ms at 22,000 tracks, 3.35 ms at
 * 62,000 (issue 16). A LIMIT inside each LATERAL keeps them per-row index probes: the top 50 are
 * read from the rank index, then 50 track and 50 profile probes, at any catalogue size
 * (tests/db/test_read_plans.py pins the plan at a size where the old one was chosen). now_playing
 * is PL/pgSQL so its plan is kept (a SQL function is planned again on every call).
 */

-- RPCs -----------------------------------------------------------------------------------------

create or replace function public.queue_top(p_session_id uuid, p_limit integer default 50) returns json
language plpgsql stable
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
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
      q.pin_order is not null as pinned, q.fair_round, q.rank_key, q.requested_at
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

create or replace function public.now_playing(p_session_id uuid) returns public.now_playing
language plpgsql stable
set search_path = ''
as $$
declare
  v_row public.now_playing;
begin
  select q.id, t.id, t.title, t.artist, t.duration_ms, t.artwork_url, q.requested_by, q.started_at, now(),
    q.upvotes, q.downvotes, q.skip_votes
  into v_row
  from public.queue_items as q
  cross join lateral (select tr.* from public.tracks as tr where tr.id = q.track_id limit 1) as t
  where q.session_id = p_session_id and q.status = 'playing';
  return v_row;
end
$$;
