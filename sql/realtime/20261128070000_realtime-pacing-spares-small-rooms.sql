/*
 * realtime-pacing-spares-small-rooms: spend pacing holds back big rooms only.
 *
 * Pacing lowers the listener budget to what the rest of the billing cycle affords. Applied to
 * every room, at 50,000 MAU it would tick even a room of ten (docs/capacity.md): the brief's
 * latency promise broken where it matters most, to save little, since a small room's broadcasts
 * reach few. Now rooms up to realtime_immediate_max_listeners keep the full B (every event at
 * once, within the project's per-second budget as before) and only bigger rooms are paced. B_eff
 * is recomputed every second from what was actually spent, small rooms included, so their spend
 * lowers the big rooms' budget; the month stays within M as long as small rooms alone spend less
 * than M (docs/capacity.md: about a third of it at the reference workload). Beyond that the
 * big rooms sit at B_min and the bill grows with small-room listening: raise M or the plan.
 */

create or replace function private.rt_allocate() returns void
language plpgsql volatile
set search_path = ''
as $$
declare
  v_max double precision;
  v_full double precision := (hidden.setting('realtime_listener_budget_per_minute'))::double precision;
  v_small integer := (hidden.setting('realtime_immediate_max_listeners'))::integer;
  v_budget double precision := 60 * (hidden.setting('realtime_project_messages_per_second'))::double precision
    * (hidden.setting('realtime_safety_factor'))::double precision;
  v_floor double precision;
  v_weight double precision;
  v_rooms integer;
  v_room record;
  v_extra double precision;
  v_topics text[] := '{}'::text[];
  v_quotas double precision[] := '{}'::double precision[];
begin
  -- One allocator at a time (pg_cron and the service may both flush); the other just sends ticks.
  if not pg_try_advisory_xact_lock(hashtextextended('whatssound:realtime_allocate', 0)) then
    return;
  end if;
  select coalesce(sum(s.listener_count + 1), 0), count(*) into v_weight, v_rooms
  from public.dj_sessions as s where s.status = 'live';
  perform private.rt_account((v_weight - v_rooms)::bigint);
  v_max := (select p.listener_budget from private.rt_pacing() as p);
  v_floor := least(3, v_max);  -- one broadcast, then one every 30 s
  if v_floor * v_weight > v_budget then
    v_floor := v_budget / v_weight;  -- beyond any plan's connection limit: share equally per listener
  end if;
  v_budget := v_budget - v_floor * v_weight;
  -- Every room gets the floor; the rest of the budget (in delivered messages) is shared equally
  -- between rooms, each taking at most what lifts it to B, smallest first: a small room costs
  -- little and gets everything at once; what it leaves goes to the bigger ones, whose listeners
  -- then get fewer, bigger ticks the bigger the room. Pacing (v_max) holds back only rooms above
  -- realtime_immediate_max_listeners: small rooms keep the full B, so their events stay immediate
  -- whatever the month's spend, and the big rooms absorb the pacing.
  for v_room in
    select s.id, s.listener_count + 1 as weight, s.listener_count <= v_small as small from public.dj_sessions as s
    where s.status = 'live' order by s.listener_count, s.id
  loop
    v_extra := least(case when v_room.small then v_full else v_max end - v_floor, v_budget / v_rooms / v_room.weight);
    v_budget := greatest(v_budget - v_extra * v_room.weight, 0);
    v_rooms := v_rooms - 1;
    v_topics := v_topics || ('session:' || v_room.id);
    v_quotas := v_quotas || (v_floor + v_extra);
  end loop;
  -- A room busy right now (an emitter or another flusher holds its row) keeps its quota until the
  -- next run: waiting here would stall every other room's tick.
  update private.realtime_topics as t
  set quota = a.quota, capacity = b.capacity, rate = b.rate, tokens = least(t.tokens, b.capacity)
  from unnest(v_topics, v_quotas) as a(topic, quota)
  cross join lateral (select private.rt_capacity(a.quota) as capacity, private.rt_refill(a.quota) as rate) as b
  where t.topic = a.topic and (t.quota, t.capacity, t.rate) is distinct from (a.quota, b.capacity, b.rate)
    and t.topic in (
      select l.topic from private.realtime_topics as l where l.topic = any (v_topics) for update skip locked
    );
end
$$;
comment on function private.rt_allocate() is
  'Account usage, then share the project budget between live rooms (a floor for all, then equal shares of '
  'delivered messages, smallest room first, capped at B for rooms up to realtime_immediate_max_listeners and at '
  'the paced listener budget above) and set each room''s quota, bucket capacity and refill rate.';
