/*
 * queue-top-keeps-its-snapshot-page: queue_top is again the thin RPC over hidden.queue_top.
 *
 * 20261203124756 (catalogue verified by provider) restated public.queue_top from its 20261202080100
 * body, missing that 20261202080200 (realtime snapshot cache) had moved that body to
 * private.queue_top_live and made public.queue_top a wrapper over hidden.queue_top: the RPC lost
 * the cached first page and hidden.room_state's check of who may see the room (P0002), and the
 * snapshot's queue lacked `verified`. Now the wrapper is back as 20261202080200 had it, and
 * private.queue_top_live (which builds the snapshot's page and the other pages) says whether
 * each track is verified.
 */

create or replace function public.queue_top(p_session_id uuid, p_limit integer default 50) returns json
language plpgsql volatile
set search_path = ''
as $$
begin
  return hidden.queue_top(p_session_id, p_limit);
end
$$;

-- As 20261202080100's queue_top (moved here by 20261202080200), with verified.
create or replace function private.queue_top_live(p_session_id uuid, p_limit integer default 50) returns json
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
